-- What a post says of each brand it names. A post naming two brands often says different things
-- of them ("the Lumen app is excellent but the Kofi app is terrible"); each brand's link now has
-- that brand's own reading (the clauses about it, scored on their own: src/domain/themes/
-- brand-readings.ts), which its counts, trends, share of voice and alerts use. Null means the
-- post's own score: every single-brand post, and every link stored before this migration, so
-- nothing is rewritten here. mentions.brand_sentiments holds the readings that differ from the
-- post's, {brandId: {label, score}}, for the API; null when none does. `earshot rescore`
-- (model 1.6.0) reads older multi-brand posts again.
alter table mention_brands add column sentiment_score real;
alter table mentions add column brand_sentiments jsonb;
