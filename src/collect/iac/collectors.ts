/**
 * The real collectors behind `scan`, adapted to the one interface the scan uses
 * ({@link IacCollectors}), so the scan's merge and error handling can be tested on their own.
 */
import { collectCloudFormation, isCloudFormationTemplate, parseTemplate } from '../cloudformation/index.js';
import { collectTerraformPlan, isTerraformPlan } from '../terraform/index.js';
import type { IacCollectors } from './scan.js';

export const DEFAULT_COLLECTORS: IacCollectors = {
  isTerraformPlan,
  collectTerraformPlan,
  isCloudFormationTemplate,
  collectCloudFormation: (text, options) => {
    const template = parseTemplate(text, options.displayPath);
    return isCloudFormationTemplate(template.data) ? collectCloudFormation(template, options) : null;
  },
};
