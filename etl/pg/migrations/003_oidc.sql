-- Sign-in through the province's identity provider (OIDC, st.login): an account is linked to
-- the provider's user by oidc_subject (its e-mail or 'sub', set by `papi users add --oidc`).

ALTER TABLE papi.app_user ADD COLUMN oidc_subject text UNIQUE
  CHECK (oidc_subject IS NULL OR btrim(oidc_subject) <> '');

-- The account linked to one of the provider's identifiers of the signed-in person, if any.
CREATE FUNCTION papi.oidc_login_info(subjects text[])
RETURNS TABLE (id bigint, enabled boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, papi AS $$
  SELECT id, enabled FROM papi.app_user WHERE oidc_subject = ANY (subjects)
  ORDER BY array_position(subjects, oidc_subject) LIMIT 1
$$;
