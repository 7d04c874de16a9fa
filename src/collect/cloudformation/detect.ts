/**
 * Is this parsed YAML/JSON a CloudFormation template? Decided by content, because templates are
 * named freely (`*.yaml`, `*.template`, CDK's `*.template.json`) and YAML files of other tools
 * (docker-compose, Kubernetes manifests, GitHub workflows, OpenAPI) must never be taken for one.
 *
 * A template is an object whose top-level keys are all CloudFormation sections (CloudFormation
 * rejects any other key) and that either declares `AWSTemplateFormatVersion` or has a non-empty
 * `Resources` map whose every entry is an object with a resource `Type` such as `AWS::S3::Bucket`,
 * `Custom::Thing` or a registry type `Org::Service::Resource`.
 */

const SECTIONS: ReadonlySet<string> = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Hooks',
]);

const RESOURCE_TYPE = /^(?:Custom::[A-Za-z0-9_@.-]+|[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+(?:::MODULE)?)$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isResourceMap(value: unknown): boolean {
  if (!isRecord(value)) {
    return false;
  }
  const entries = Object.entries(value);
  return (
    entries.length > 0 &&
    entries.every(
      ([logicalId, resource]) =>
        // AWS::LanguageExtensions loops (`Fn::ForEach::Name: [...]`) stand where resources stand.
        logicalId.startsWith('Fn::ForEach::') ||
        (isRecord(resource) && typeof resource.Type === 'string' && RESOURCE_TYPE.test(resource.Type)),
    )
  );
}

export function isCloudFormationTemplate(data: unknown): boolean {
  if (!isRecord(data)) {
    return false;
  }
  const keys = Object.keys(data);
  if (keys.length === 0 || !keys.every((key) => SECTIONS.has(key))) {
    return false;
  }
  const version = data.AWSTemplateFormatVersion;
  if (typeof version === 'string' && version !== '') {
    return true;
  }
  return isResourceMap(data.Resources);
}
