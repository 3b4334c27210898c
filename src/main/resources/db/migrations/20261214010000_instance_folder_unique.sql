-- // instance folder unique
-- Each instance's off-site copies go to <prefix>/<slug>/, and its archive files are named <slug>_…; the
-- slug was the name's readable form, so two names that reduce to one (Küche and Kuche, every name
-- without a Latin letter: "pihole") shared a folder. Now the slug is the instance's own folder, chosen
-- once when it is stored and kept through renames. Instances stored before keep theirs, except where
-- two share one: the first stored keeps it, each later one gets <slug>--<id>, a form no name's slug
-- has (a slug never holds two dashes in a row) and so free on every install. Copies already in the
-- shared folder stay where they are: each copy's record holds its own key, and adoption takes a copy
-- under its name's readable slug as it always did. The unique index keeps two nodes from choosing one.
UPDATE instance
SET slug = slug || '--' || id
WHERE EXISTS (SELECT 1 FROM instance o WHERE o.slug = instance.slug AND o.id < instance.id);

CREATE UNIQUE INDEX instance_slug ON instance (slug);

-- //@UNDO
-- the older build reads the slugs as they are (it chose them from the name at each save, and finds copies by their own keys)
DROP INDEX instance_slug;
