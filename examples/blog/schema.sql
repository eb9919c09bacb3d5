-- Reference schema: multi-author blog.
-- Plain SQL, runs top to bottom on an empty PostgreSQL 15+ database (no extensions needed).
-- Conventions: bigint identity keys named id, <singular>_id foreign keys with an explicit
-- ON DELETE, timestamptz *_at columns, text + CHECK instead of varchar(n).

-- Shared trigger function: every mutable table keeps updated_at current.
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

-- ---------------------------------------------------------------- users & profiles
CREATE TABLE users (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email         text NOT NULL CONSTRAINT users_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 320),
  username      text NOT NULL CONSTRAINT users_username_key UNIQUE CONSTRAINT users_username_format CHECK (username ~ '^[a-z0-9_]{3,30}$'),
  password_hash text NOT NULL,
  display_name  text NOT NULL CONSTRAINT users_display_name_length CHECK (length(display_name) BETWEEN 1 AND 100),
  role          text NOT NULL DEFAULT 'reader' CONSTRAINT users_role_valid CHECK (role IN ('reader', 'author', 'editor', 'admin')),
  preferences   jsonb NOT NULL DEFAULT '{}' CONSTRAINT users_preferences_is_object CHECK (jsonb_typeof(preferences) = 'object'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- Addresses are compared case-insensitively; the username CHECK already forces lower case.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
COMMENT ON COLUMN users.preferences IS 'UI settings (theme, language, digest frequency): read whole, never filtered on, so a document fits.';
COMMENT ON COLUMN users.role IS 'A single role is enough here; the permission ladder is linear (reader < author < editor < admin).';

-- Optional extra data, one row at most per user: the UNIQUE foreign key makes it one-to-one.
CREATE TABLE user_profiles (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     bigint NOT NULL CONSTRAINT user_profiles_user_id_key UNIQUE REFERENCES users (id) ON DELETE CASCADE,
  bio         text CONSTRAINT user_profiles_bio_length CHECK (length(bio) <= 2000),
  avatar_url  text CONSTRAINT user_profiles_avatar_url_format CHECK (avatar_url ~ '^https://'),
  website_url text CONSTRAINT user_profiles_website_url_format CHECK (website_url ~ '^https?://'),
  location    text,
  birth_date  date,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------- categories (tree)
CREATE TABLE categories (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id   bigint REFERENCES categories (id) ON DELETE RESTRICT,
  name        text NOT NULL CONSTRAINT categories_name_length CHECK (length(name) BETWEEN 1 AND 100),
  slug        text NOT NULL CONSTRAINT categories_slug_key UNIQUE CONSTRAINT categories_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  description text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT categories_not_own_parent CHECK (parent_id <> id),
  -- Sibling names are unique; top-level categories (NULL parent) are siblings too.
  CONSTRAINT categories_parent_id_name_key UNIQUE NULLS NOT DISTINCT (parent_id, name)
);
COMMENT ON TABLE categories IS 'Adjacency list (Technology > Programming > SQL); a trigger refuses re-parenting that would form a loop.';

CREATE FUNCTION categories_prevent_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.parent_id IS NOT NULL AND EXISTS (
       WITH RECURSIVE ancestors (id, parent_id) AS (
         SELECT c.id, c.parent_id FROM categories c WHERE c.id = NEW.parent_id
         UNION
         SELECT c.id, c.parent_id FROM categories c JOIN ancestors a ON c.id = a.parent_id)
       SELECT 1 FROM ancestors WHERE ancestors.id = NEW.id) THEN
    RAISE EXCEPTION 'category % cannot be placed under its own descendant %', NEW.id, NEW.parent_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
-- A brand-new row has no descendants, so only a change of parent can close a loop.
CREATE TRIGGER categories_prevent_cycle BEFORE UPDATE OF parent_id ON categories
  FOR EACH ROW EXECUTE FUNCTION categories_prevent_cycle();

-- ---------------------------------------------------------------- posts
CREATE TABLE posts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  category_id  bigint REFERENCES categories (id) ON DELETE SET NULL,
  title        text NOT NULL CONSTRAINT posts_title_length CHECK (length(title) BETWEEN 1 AND 300),
  slug         text NOT NULL CONSTRAINT posts_slug_key UNIQUE CONSTRAINT posts_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  excerpt      text CONSTRAINT posts_excerpt_length CHECK (length(excerpt) <= 1000),
  body         text NOT NULL DEFAULT '',
  status       text NOT NULL DEFAULT 'draft' CONSTRAINT posts_status_valid CHECK (status IN ('draft', 'published', 'archived')),
  published_at timestamptz,
  metadata     jsonb NOT NULL DEFAULT '{}' CONSTRAINT posts_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  -- Anything that has ever gone out (published, or archived after publication) carries its date.
  CONSTRAINT posts_published_has_date CHECK (status = 'draft' OR published_at IS NOT NULL)
);
COMMENT ON COLUMN posts.user_id IS 'The author. RESTRICT: an author with posts is deactivated or their posts reassigned, never silently erased.';
COMMENT ON COLUMN posts.metadata IS 'Free-form SEO/social fields (og_image, canonical_url…); anything filtered on becomes a real column.';
CREATE INDEX posts_user_id_created_at_idx ON posts (user_id, created_at DESC);               -- an author's posts
CREATE INDEX posts_published_at_idx ON posts (published_at DESC) WHERE status = 'published';  -- front page, archive
CREATE INDEX posts_category_id_published_at_idx ON posts (category_id, published_at DESC);    -- category pages
CREATE INDEX posts_metadata_idx ON posts USING gin (metadata jsonb_path_ops);                 -- metadata @> '{...}'

-- Lifecycle: draft -> published -> archived, with "unpublish" (published -> draft) and
-- "restore" (archived -> published). The first publication stamps published_at.
CREATE FUNCTION posts_guard_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status
     AND NOT ((OLD.status = 'draft'     AND NEW.status = 'published')
           OR (OLD.status = 'published' AND NEW.status IN ('draft', 'archived'))
           OR (OLD.status = 'archived'  AND NEW.status = 'published')) THEN
    RAISE EXCEPTION 'post %: status cannot go from % to %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status = 'published' AND NEW.published_at IS NULL THEN
    NEW.published_at := now();
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER posts_guard_status BEFORE INSERT OR UPDATE OF status ON posts
  FOR EACH ROW EXECUTE FUNCTION posts_guard_status();

-- ---------------------------------------------------------------- tags
CREATE TABLE tags (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL CONSTRAINT tags_name_length CHECK (length(name) BETWEEN 1 AND 50),
  slug       text NOT NULL CONSTRAINT tags_slug_key UNIQUE CONSTRAINT tags_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Many-to-many: the composite key forbids tagging a post twice and answers "tags of a post";
-- the reverse index answers "posts with a tag".
CREATE TABLE post_tags (
  post_id    bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  tag_id     bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tags_tag_id_post_id_idx ON post_tags (tag_id, post_id);

-- ---------------------------------------------------------------- comments
CREATE TABLE comments (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id    bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  user_id    bigint REFERENCES users (id) ON DELETE SET NULL,
  parent_id  bigint REFERENCES comments (id) ON DELETE CASCADE,
  body       text NOT NULL CONSTRAINT comments_body_length CHECK (length(body) BETWEEN 1 AND 10000),
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Identity values only grow and a reply is written after its parent, so a reply always points
  -- to a smaller id: together with the frozen parent (trigger below) no loop can ever form.
  CONSTRAINT comments_parent_is_older CHECK (parent_id < id),
  CONSTRAINT comments_deleted_after_created CHECK (deleted_at >= created_at)
);
COMMENT ON COLUMN comments.deleted_at IS 'Soft delete: the thread keeps its shape and shows "[deleted]"; readers filter deleted_at IS NULL.';
COMMENT ON COLUMN comments.user_id IS 'NULL once the account is removed; the comment stays, attributed to a deleted user.';
CREATE INDEX comments_post_id_created_at_idx ON comments (post_id, created_at);  -- a post's thread, oldest first
CREATE INDEX comments_user_id_created_at_idx ON comments (user_id, created_at DESC);  -- a user's activity
CREATE INDEX comments_parent_id_created_at_idx ON comments (parent_id, created_at);  -- replies under a comment, oldest first

-- A reply belongs to the same post as its parent, and a comment never moves.
CREATE FUNCTION comments_guard_thread() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE parent_post_id bigint;
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW.post_id, NEW.parent_id) IS DISTINCT FROM (OLD.post_id, OLD.parent_id) THEN
    RAISE EXCEPTION 'comment %: post and parent cannot change', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.parent_id IS NOT NULL THEN
    SELECT p.post_id INTO parent_post_id FROM comments p WHERE p.id = NEW.parent_id;
    IF FOUND AND parent_post_id <> NEW.post_id THEN
      RAISE EXCEPTION 'comment %: parent % is on another post', NEW.id, NEW.parent_id
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER comments_guard_thread BEFORE INSERT OR UPDATE OF post_id, parent_id ON comments
  FOR EACH ROW EXECUTE FUNCTION comments_guard_thread();

-- ---------------------------------------------------------------- updated_at triggers
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER user_profiles_set_updated_at BEFORE UPDATE ON user_profiles FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER categories_set_updated_at BEFORE UPDATE ON categories FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER posts_set_updated_at BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER tags_set_updated_at BEFORE UPDATE ON tags FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER comments_set_updated_at BEFORE UPDATE ON comments FOR EACH ROW EXECUTE FUNCTION set_updated_at();
