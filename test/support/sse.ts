/**
 * A Server-Sent Events response read as it arrives: its `event: mention` events, its other named
 * events (`event: error`, the reason a stream ends) and comment lines.
 */
export function collectEvents<T>(res: Response) {
  const reader = res.body!.getReader();
  const events: Array<{ id: string; data: T }> = [];
  const comments: string[] = [];
  const others: Array<{ event: string; data: unknown }> = [];
  let buffer = '';
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += new TextDecoder().decode(value);
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (block.startsWith(':')) comments.push(block.slice(1).trim());
        const named = /^event: (.*)$/m.exec(block)?.[1];
        if (named !== undefined && named !== 'mention') {
          const data = /^data: (.*)$/m.exec(block)?.[1];
          others.push({ event: named, data: data === undefined ? undefined : JSON.parse(data) });
        }
        if (!block.startsWith('event: mention')) continue;
        events.push({ id: /^id: (.*)$/m.exec(block)![1]!, data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as T });
      }
    }
  })();
  return {
    events,
    comments,
    others,
    /** Resolves when the server ends the stream. */
    ended,
    async close(): Promise<void> {
      await reader.cancel().catch(() => {});
      await ended.catch(() => {});
    },
  };
}
