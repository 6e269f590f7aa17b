-- The language a workspace's digests are written in (PATCH /v1/workspace digestLanguage): the
-- renderings, the e-mail and its subject. Existing workspaces keep English, as their digests were.
-- Each digest records the language it was composed in inside its document; one without it
-- (made before this column) is read in English.
alter table workspaces add column digest_language text not null default 'en'
  constraint workspaces_digest_language check (digest_language in ('en', 'cs', 'fa', 'hi', 'ne', 'gu', 'ta'));
