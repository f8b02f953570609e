export {
  BUILTIN_TEMPLATES,
  type BuiltinTemplateId,
  loadTemplateFile,
  loadTemplates,
  parseTemplate,
} from './load.js';
export {
  COLLECTOR_ID,
  type Control,
  type ControlTemplate,
  type ControlTemplateInput,
  controlSchema,
  templateSchema,
} from './schema.js';
