/**
 * A deterministic corpus of infrastructure code for the IaC benchmark: CloudFormation YAML
 * (short-form tags), CloudFormation JSON (CDK-style), and Terraform plan JSON in the shape
 * `terraform show -json` writes (planned_values, resource_changes with after_unknown,
 * configuration with references, prior_state omitted), each with a few trails and buckets
 * among unrelated resources, as real stacks have.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CorpusStats {
  readonly files: number;
  readonly cloudFormationYaml: number;
  readonly cloudFormationJson: number;
  readonly terraformPlans: number;
  readonly bytes: number;
  readonly trails: number;
  readonly buckets: number;
}

/** Unrelated resources that a collector must read past (IAM policy documents are the bulk). */
function fillerCfn(i: number, count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let k = 0; k < count; k += 1) {
    out[`AppRole${k}`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [
          {
            PolicyName: `app-${i}-${k}`,
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::data-${i}-${k}`, `arn:aws:s3:::data-${i}-${k}/*`] },
                { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
              ],
            },
          },
        ],
        Tags: [{ Key: 'team', Value: `team-${k % 5}` }],
      },
    };
    out[`AppFunction${k}`] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': [`AppRole${k}`, 'Arn'] },
        Code: { S3Bucket: `artifacts-${i}`, S3Key: `fn-${k}.zip` },
        MemorySize: 256,
        Timeout: 30,
        Environment: { Variables: { STAGE: 'prod', TABLE: `table-${i}-${k}` } },
      },
    };
  }
  return out;
}

function cfnTemplate(i: number): { template: Record<string, unknown>; trails: number; buckets: number } {
  const trails = 1 + (i % 3);
  const resources: Record<string, unknown> = {};
  for (let t = 0; t < trails; t += 1) {
    const compliant = (i + t) % 4 !== 0;
    resources[`LogBucket${t}`] = {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: `trail-logs-${i}-${t}`,
        ...(compliant
          ? {
              PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
              LoggingConfiguration: { DestinationBucketName: `access-logs-${i}`, LogFilePrefix: `trail-${t}/` },
            }
          : { AccessControl: 'PublicRead' }),
      },
    };
    resources[`LogBucketPolicy${t}`] = {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: `LogBucket${t}` },
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: { 'Fn::GetAtt': [`LogBucket${t}`, 'Arn'] } },
            {
              Sid: 'AWSCloudTrailWrite',
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 's3:PutObject',
              Resource: { 'Fn::Sub': `\${LogBucket${t}.Arn}/AWSLogs/\${AWS::AccountId}/*` },
              Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
            },
          ],
        },
      },
    };
    resources[`Trail${t}`] = {
      Type: 'AWS::CloudTrail::Trail',
      DependsOn: [`LogBucketPolicy${t}`],
      Properties: {
        TrailName: `trail-${i}-${t}`,
        IsLogging: true,
        IsMultiRegionTrail: t === 0,
        S3BucketName: { Ref: `LogBucket${t}` },
        EnableLogFileValidation: compliant,
        ...(compliant ? { KMSKeyId: `arn:aws:kms:us-east-1:111122223333:key/${String(i).padStart(8, '0')}-0000-0000-0000-000000000000` } : {}),
        ...(compliant ? { CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:111122223333:log-group:trail-${i}:*`, CloudWatchLogsRoleArn: 'arn:aws:iam::111122223333:role/trail-cw' } : {}),
        Tags: [{ Key: 'owner', Value: 'security' }],
      },
    };
  }
  Object.assign(resources, fillerCfn(i, 4));
  return { template: { AWSTemplateFormatVersion: '2010-09-09', Description: `Stack ${i}`, Resources: resources }, trails, buckets: trails };
}

/** YAML by hand, so that short-form tags (!Ref, !GetAtt, !Sub) appear as people write them. */
function toYaml(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return ' []';
    }
    return value.map((item) => `\n${indent}- ${toYaml(item, `${indent}  `).replace(/^\s+/u, '')}`).join('');
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    const [onlyKey, onlyValue] = entries.length === 1 ? (entries[0] ?? []) : [];
    if (onlyKey === 'Ref' && typeof onlyValue === 'string') {
      return ` !Ref ${onlyValue}`;
    }
    if (onlyKey === 'Fn::GetAtt' && Array.isArray(onlyValue)) {
      return ` !GetAtt ${onlyValue.join('.')}`;
    }
    if (onlyKey === 'Fn::Sub' && typeof onlyValue === 'string') {
      return ` !Sub "${onlyValue}"`;
    }
    return entries.map(([key, item]) => `\n${indent}${key}:${toYaml(item, `${indent}  `)}`).join('');
  }
  return ` ${JSON.stringify(value)}`;
}

function planFor(i: number): { plan: Record<string, unknown>; trails: number; buckets: number } {
  const trails = 1 + (i % 2);
  const planned: Record<string, unknown>[] = [];
  const changes: Record<string, unknown>[] = [];
  const config: Record<string, unknown>[] = [];
  const add = (type: string, name: string, values: Record<string, unknown>, afterUnknown: Record<string, unknown>, expressions: Record<string, unknown>): void => {
    const address = `${type}.${name}`;
    planned.push({ address, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values, sensitive_values: {} });
    changes.push({
      address,
      mode: 'managed',
      type,
      name,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: { actions: ['create'], before: null, after: values, after_unknown: afterUnknown, before_sensitive: false, after_sensitive: {} },
    });
    config.push({ address, mode: 'managed', type, name, provider_config_key: 'aws', expressions, schema_version: 0 });
  };
  for (let t = 0; t < trails; t += 1) {
    const compliant = (i + t) % 3 !== 0;
    add(
      'aws_s3_bucket',
      `logs_${t}`,
      { bucket: `tf-trail-logs-${i}-${t}`, force_destroy: false, tags: { owner: 'security' }, tags_all: { owner: 'security' }, timeouts: null },
      { arn: true, id: true, bucket_domain_name: true, region: true, acl: true, grant: true, policy: true, versioning: true, logging: true, server_side_encryption_configuration: true, tags: {}, tags_all: {} },
      { bucket: { constant_value: `tf-trail-logs-${i}-${t}` }, tags: { constant_value: { owner: 'security' } } },
    );
    if (compliant) {
      add(
        'aws_s3_bucket_public_access_block',
        `logs_${t}`,
        { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
        { bucket: true, id: true },
        { bucket: { references: [`aws_s3_bucket.logs_${t}.id`, `aws_s3_bucket.logs_${t}`] }, block_public_acls: { constant_value: true } },
      );
      add(
        'aws_s3_bucket_logging',
        `logs_${t}`,
        { target_bucket: `access-logs-${i}`, target_prefix: `trail-${t}/`, target_grant: [], target_object_key_format: [], expected_bucket_owner: null },
        { bucket: true, id: true, target_grant: [], target_object_key_format: [] },
        { bucket: { references: [`aws_s3_bucket.logs_${t}.id`, `aws_s3_bucket.logs_${t}`] }, target_bucket: { constant_value: `access-logs-${i}` } },
      );
    }
    add(
      'aws_cloudtrail',
      `trail_${t}`,
      {
        name: `tf-trail-${i}-${t}`,
        enable_logging: true,
        enable_log_file_validation: compliant,
        is_multi_region_trail: t === 0,
        is_organization_trail: false,
        include_global_service_events: true,
        kms_key_id: compliant ? `arn:aws:kms:us-east-1:111122223333:key/${String(i).padStart(8, '0')}-1111-1111-1111-111111111111` : null,
        cloud_watch_logs_group_arn: null,
        cloud_watch_logs_role_arn: null,
        s3_key_prefix: null,
        sns_topic_name: null,
        advanced_event_selector: [],
        event_selector: [],
        insight_selector: [],
        tags: { owner: 'security' },
        tags_all: { owner: 'security' },
      },
      { arn: true, home_region: true, id: true, s3_bucket_name: true, advanced_event_selector: [], event_selector: [], insight_selector: [], tags: {}, tags_all: {} },
      {
        name: { constant_value: `tf-trail-${i}-${t}` },
        s3_bucket_name: { references: [`aws_s3_bucket.logs_${t}.id`, `aws_s3_bucket.logs_${t}`] },
        is_multi_region_trail: { constant_value: t === 0 },
        enable_log_file_validation: { constant_value: compliant },
      },
    );
  }
  for (let k = 0; k < 6; k += 1) {
    add(
      'aws_iam_role',
      `app_${k}`,
      {
        name: `app-${i}-${k}`,
        assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
        description: null,
        force_detach_policies: false,
        max_session_duration: 3600,
        path: '/',
        permissions_boundary: null,
        tags: { team: `team-${k}` },
        tags_all: { team: `team-${k}` },
      },
      { arn: true, create_date: true, id: true, inline_policy: true, managed_policy_arns: true, name_prefix: true, unique_id: true, tags: {}, tags_all: {} },
      { name: { constant_value: `app-${i}-${k}` }, assume_role_policy: { constant_value: '{...}' } },
    );
  }
  const plan = {
    format_version: '1.2',
    terraform_version: '1.9.5',
    variables: { region: { value: 'us-east-1' } },
    planned_values: { root_module: { resources: planned } },
    resource_changes: changes,
    configuration: {
      provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', expressions: { region: { references: ['var.region'] } } } },
      root_module: { resources: config, variables: { region: { default: 'us-east-1' } } },
    },
    relevant_attributes: [],
    timestamp: '2026-11-21T00:00:00Z',
    applyable: true,
    complete: true,
    errored: false,
  };
  return { plan, trails, buckets: trails };
}

/** Write `count` files into `dir` (40 % CloudFormation YAML, 30 % JSON, 30 % Terraform plans). */
export function writeCorpus(dir: string, count: number): CorpusStats {
  let bytes = 0;
  let trails = 0;
  let buckets = 0;
  const counts = { yaml: 0, json: 0, plan: 0 };
  for (let i = 0; i < count; i += 1) {
    // Spread over nested folders, as a monorepo would.
    const folder = join(dir, `service-${i % 25}`, i % 2 === 0 ? 'infra' : 'deploy');
    mkdirSync(folder, { recursive: true });
    let path: string;
    let text: string;
    const slot = i % 10;
    if (slot < 4) {
      const { template, trails: t, buckets: b } = cfnTemplate(i);
      path = join(folder, `stack-${i}.yaml`);
      text = `${toYaml(template, '').replace(/^\n/u, '')}\n`;
      trails += t;
      buckets += b;
      counts.yaml += 1;
    } else if (slot < 7) {
      const { template, trails: t, buckets: b } = cfnTemplate(i);
      path = join(folder, `Stack${i}.template.json`);
      text = `${JSON.stringify(template, null, 1)}\n`;
      trails += t;
      buckets += b;
      counts.json += 1;
    } else {
      const { plan, trails: t, buckets: b } = planFor(i);
      path = join(folder, `plan-${i}.json`);
      text = JSON.stringify(plan);
      trails += t;
      buckets += b;
      counts.plan += 1;
    }
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
  }
  return { files: count, cloudFormationYaml: counts.yaml, cloudFormationJson: counts.json, terraformPlans: counts.plan, bytes, trails, buckets };
}
