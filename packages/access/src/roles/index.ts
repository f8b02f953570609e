export {
  type Guard,
  type GuardOptions,
  permissionGuard,
  type Refusal,
  roleGuard,
} from './guard.js';
export {
  AccessError,
  asAccessError,
  countRefusal,
  isAccessError,
  type RefusalStage,
  refusalAnswer,
} from './refusal.js';
export {
  DEFAULT_ROLES,
  defineRoles,
  isPermission,
  type RoleDefinition,
  type RoleDefinitions,
  type RoleTable,
  type RoleTableOptions,
} from './table.js';
