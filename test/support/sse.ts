/** A Server-Sent Events response read as it arrives: its `event: mention` events and comment lines. */
export function collectEvents<T>(res: Response) {
  const reader = res.body!.getReader();
  const events: Array<{ id: string; data: T }> = [];
  const comments: string[] = [];
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
        if (!block.startsWith('event: mention')) continue;
        events.push({ id: /^id: (.*)$/m.exec(block)![1]!, data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as T });
      }
    }
  })();
  return {
    events,
    comments,
    /** Resolves when the server ends the stream. */
    ended,
    async close(): Promise<void> {
      await reader.cancel().catch(() => {});
      await ended.catch(() => {});
    },
  };
}
