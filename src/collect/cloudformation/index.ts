/** CloudFormation collector: template text → parsed template → the shared facts model. */
export { collectCloudFormation, TEMPLATE_ACCOUNT_ID } from './collect.js';
export { isCloudFormationTemplate } from './detect.js';
export { parseTemplate } from './parse.js';
export type { CfnEntry, CfnList, CfnMap, CfnNode, CfnScalar, CfnTemplate, Position } from './template.js';
