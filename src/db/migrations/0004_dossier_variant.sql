-- The case (trường hợp) of its procedure a dossier follows: its deadline, documents and eForm.
ALTER TABLE dossiers ADD COLUMN variant_id text;
