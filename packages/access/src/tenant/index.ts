export { isTenantId, TENANT_ID_PATTERN, tenantId } from './ids.js';
export { type TenantKeyOptions, tenantKey, tenantKeyWith, tenantPath } from './keys.js';
export {
  TENANT_SETTING,
  type TenantPolicyOptions,
  tenantPolicyMigration,
  tenantPolicySql,
  withTenant,
} from './postgres.js';
