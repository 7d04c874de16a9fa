/** Terraform plan JSON collector (`terraform show -json PLANFILE`). */
export { collectTerraformPlan } from './collect.js';
export { isTerraformPlan } from './plan.js';
