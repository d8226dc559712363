-- Search that serves (issue 19): the version of the Rust stemmer that wrote each document's
-- `terms` (documents of an older one are stemmed again at startup), and the index that the
-- date filters and the "newest first" order read.
ALTER TABLE search_docs ADD COLUMN stemmer INTEGER NOT NULL DEFAULT 1;
CREATE INDEX search_docs_stemmer ON search_docs (stemmer);
CREATE INDEX search_docs_published ON search_docs (published_at);
