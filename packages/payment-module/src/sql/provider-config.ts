/** The statements of the `provider_config` table (its CRUD goes through the `ProviderConfig` entity). */

/**
 * A tenant's configuration for one provider, in one indexed read: one row when the tenant exists (its
 * config's columns null when it has none for the provider), none when it does not. Parameters: provider id, tenant id.
 */
export const TENANT_PROVIDER_CONFIG_SQL = `select c.id as config_id, c.options, c.secrets_ciphertext
  from tenant t left join provider_config c on c.tenant_id = t.id and c.provider_id = ?
  where t.id = ?`;

/** Replaces a config's sealed secrets, only if they are still the ones read. Parameters: new ciphertext, key id, config id, ciphertext read. */
export const RESEAL_SECRETS_SQL =
  'update provider_config set secrets_ciphertext = ?, key_id = ? where id = ? and secrets_ciphertext = ?';
