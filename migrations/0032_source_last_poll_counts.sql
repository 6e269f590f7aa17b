-- What the last successful poll of a source read: the items in its answer, how many of them were
-- new to the workspace, and how many of those matched a brand. A source whose items are new but
-- never match says that the brands' queries miss it, which lastStatus and lastError cannot say.
alter table sources add column last_items_read integer;
alter table sources add column last_items_new integer;
alter table sources add column last_items_matched integer;
