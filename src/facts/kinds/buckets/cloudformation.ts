/**
 * Trail log buckets: one BucketFacts per distinct bucket a trail delivers to.
 *
 * Declared buckets are evaluated as declared, with S3's own rules (kinds/buckets/publicAccess.ts):
 * - PublicAccessBlockConfiguration absent → null (no block); each absent flag → false.
 * - AccessControl canned ACL → the grants S3 writes for it: PublicRead/PublicReadWrite → AllUsers,
 *   AuthenticatedRead → AuthenticatedUsers, LogDeliveryWrite → the LogDelivery group (not public),
 *   Private, BucketOwnerRead, BucketOwnerFullControl and AwsExecRead → the owner only. Absent = Private.
 * - OwnershipControls.Rules[0].ObjectOwnership, absent → null (ACLs enabled).
 * - Every AWS::S3::BucketPolicy whose Bucket resolves to the bucket → `policy` (several are
 *   merged into one statement list: a bucket is public if any of them makes it so; conditional
 *   policies are included for the same reason). A policy whose Bucket cannot be resolved (a
 *   parameter, an import) might target any declared bucket that has an explicit BucketName, so
 *   their policy is Unknown rather than "none".
 * - The account-level Block Public Access has no CloudFormation resource: IaC evaluates the
 *   resources as declared, and an account-wide block applied outside the template is not
 *   credited (`accountPublicAccessBlock` null). Likewise S3's defaults for new buckets (Block
 *   Public Access on, ACLs disabled) are not credited: the declared configuration is what the
 *   template asks for, and a public ACL or policy in it is a finding.
 * - LoggingConfiguration → {targetBucket, targetPrefix}: DestinationBucketName resolved to the
 *   declared bucket's literal name, else its expression text; absent → the same bucket (the
 *   CloudFormation default).
 *
 * A link that cannot be resolved gives a stand-in BucketFacts whose facts are all Unknown
 * (see cloudformationLinks.ts for the reasons), located at the trail's S3BucketName.
 */
import { unreadableBucket } from '../../gaps.js';
import type { AclGrant, BucketFacts, Maybe, PublicAccessBlock, SourceLocation, Unknown } from '../../model.js';
import { isUnknown, unknown } from '../../model.js';
import { evaluatePublicAccess } from './publicAccess.js';
import { DEPLOYMENT_REGION } from '../../../collect/iac/types.js';
import { describeNode, isNoValue } from '../../../collect/cloudformation/intrinsics.js';
import type { BucketLink } from './cloudformationLinks.js';
import { BUCKET_TYPE, resolveBucket } from './cloudformationLinks.js';
import { serialisePolicyDocument } from './cloudformationPolicy.js';
import type { CfnNode } from '../../../collect/cloudformation/template.js';
import { entryOf, isList, isMap, literalString, valueOf } from '../../../collect/cloudformation/template.js';
import type { ResourceInfo, TemplateIndex } from '../../../collect/cloudformation/templateIndex.js';
import { locationOf, resourcesOfType } from '../../../collect/cloudformation/templateIndex.js';
import type { PropertyContext } from '../../../collect/cloudformation/values.js';
import { readBoolean, readDeclared } from '../../../collect/cloudformation/values.js';

export const BUCKET_POLICY_TYPE = 'AWS::S3::BucketPolicy';

const OWNER: AclGrant = { granteeType: 'CanonicalUser', id: '(bucket owner)', permission: 'FULL_CONTROL' };
const group = (uri: string, permission: string): AclGrant => ({ granteeType: 'Group', uri, permission });
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

const CANNED_ACLS: Readonly<Record<string, readonly AclGrant[]>> = {
  Private: [OWNER],
  PublicRead: [OWNER, group(ALL_USERS, 'READ')],
  PublicReadWrite: [OWNER, group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')],
  AuthenticatedRead: [OWNER, group(AUTHENTICATED_USERS, 'READ')],
  LogDeliveryWrite: [OWNER, group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP')],
  BucketOwnerRead: [OWNER],
  BucketOwnerFullControl: [OWNER],
  AwsExecRead: [OWNER],
};

export interface DeclaredPolicy {
  readonly resource: ResourceInfo;
  readonly link: BucketLink;
  readonly document: Maybe<string>;
}

/** Every bucket policy of the template, with the bucket it applies to. */
export function collectPolicies(index: TemplateIndex): DeclaredPolicy[] {
  return resourcesOfType(index, BUCKET_POLICY_TYPE).map((resource) => ({
    resource,
    link: resolveBucket(valueOf(resource.properties, 'Bucket'), index),
    document: serialisePolicyDocument(valueOf(resource.properties, 'PolicyDocument'), `BucketPolicy ${resource.logicalId}`),
  }));
}

function readAcl(node: CfnNode | undefined, context: PropertyContext): Maybe<readonly AclGrant[]> {
  return readDeclared<readonly AclGrant[]>(node, CANNED_ACLS.Private ?? [OWNER], context, (literal) => {
    const name = literalString(literal) ?? '';
    return (
      CANNED_ACLS[name] ??
      unknown('error', `${context.owner}: AccessControl ${describeNode(literal)} is not a canned ACL CloudFormation accepts.`)
    );
  });
}

function readPublicAccessBlock(node: CfnNode | undefined, context: PropertyContext): Maybe<PublicAccessBlock | null> {
  return readDeclared<PublicAccessBlock | null>(node, null, context, (config) => {
    if (!isMap(config)) {
      return unknown('error', `${context.owner}: PublicAccessBlockConfiguration is ${describeNode(config)}, not a map.`);
    }
    const flag = (property: string): Maybe<boolean> =>
      readBoolean(valueOf(config, property), false, { ...context, property: `PublicAccessBlockConfiguration.${property}` });
    const flags = {
      blockPublicAcls: flag('BlockPublicAcls'),
      ignorePublicAcls: flag('IgnorePublicAcls'),
      blockPublicPolicy: flag('BlockPublicPolicy'),
      restrictPublicBuckets: flag('RestrictPublicBuckets'),
    };
    const gap = Object.values(flags).find(isUnknown);
    if (gap !== undefined) {
      return gap;
    }
    return flags as PublicAccessBlock;
  });
}

function readObjectOwnership(node: CfnNode | undefined, context: PropertyContext): Maybe<string | null> {
  return readDeclared<string | null>(node, null, context, (controls) => {
    const rules = valueOf(controls, 'Rules');
    const first = isList(rules) ? rules.items.find((rule) => !isNoValue(rule)) : undefined;
    return readDeclared<string | null>(valueOf(first, 'ObjectOwnership'), null, { ...context, property: 'OwnershipControls.Rules[0].ObjectOwnership' }, (value) =>
      literalString(value) ?? unknown('error', `${context.owner}: ObjectOwnership ${describeNode(value)} is not a string.`),
    );
  });
}

/** The bucket's literal name, if it has one. */
export function literalBucketName(resource: ResourceInfo | undefined): string | undefined {
  return literalString(valueOf(resource?.properties, 'BucketName'));
}

function readLogging(
  node: CfnNode | undefined,
  selfName: string,
  index: TemplateIndex,
  context: PropertyContext,
): Maybe<{ readonly targetBucket: string; readonly targetPrefix: string } | null> {
  return readDeclared<{ readonly targetBucket: string; readonly targetPrefix: string } | null>(node, null, context, (config) => {
    if (!isMap(config)) {
      return unknown('error', `${context.owner}: LoggingConfiguration is ${describeNode(config)}, not a map.`);
    }
    const destination = valueOf(config, 'DestinationBucketName');
    let targetBucket = selfName;
    if (destination !== undefined && !isNoValue(destination)) {
      const link = resolveBucket(destination, index);
      const declaredName = link.kind === 'declared' ? literalBucketName(index.resources.get(link.logicalId)) : undefined;
      targetBucket = literalString(destination) ?? declaredName ?? describeNode(destination);
    }
    const prefix = valueOf(config, 'LogFilePrefix');
    const targetPrefix = prefix === undefined || isNoValue(prefix) ? '' : (literalString(prefix) ?? describeNode(prefix));
    return { targetBucket, targetPrefix };
  });
}

/** A policy whose Bucket is unresolved could still be this bucket's, if the bucket is named. */
function mayTarget(link: BucketLink, bucket: ResourceInfo): boolean {
  if (link.kind !== 'unresolved') {
    return false;
  }
  const name = valueOf(bucket.properties, 'BucketName');
  if (name === undefined || isNoValue(name)) {
    // A generated name is known to nothing outside the stack.
    return false;
  }
  // Two different literal names never meet (an equal one would have resolved).
  return link.literal === undefined || literalString(name) === undefined;
}

function mergePolicies(documents: readonly string[]): Maybe<string | null> {
  if (documents.length <= 1) {
    return documents[0] ?? null;
  }
  const statements: unknown[] = [];
  for (const document of documents) {
    try {
      const parsed = JSON.parse(document) as { Statement?: unknown };
      statements.push(...(Array.isArray(parsed.Statement) ? (parsed.Statement as unknown[]) : [parsed.Statement]));
    } catch (error) {
      return unknown('error', `A bucket policy is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export function declaredBucketFacts(
  resource: ResourceInfo,
  trailArns: readonly string[],
  index: TemplateIndex,
  policies: readonly DeclaredPolicy[],
): BucketFacts {
  const { logicalId, properties } = resource;
  const name = literalBucketName(resource) ?? logicalId;
  const context = (property: string): PropertyContext => ({ index, owner: `Bucket ${logicalId}`, property });
  const where = (property: string): SourceLocation | undefined => {
    const found = entryOf(properties, property);
    return found === undefined || isNoValue(found.value) ? undefined : locationOf(index, found.keyPosition);
  };

  const acl = readAcl(valueOf(properties, 'AccessControl'), context('AccessControl'));
  const publicAccessBlock = readPublicAccessBlock(
    valueOf(properties, 'PublicAccessBlockConfiguration'),
    context('PublicAccessBlockConfiguration'),
  );
  const objectOwnership = readObjectOwnership(valueOf(properties, 'OwnershipControls'), context('OwnershipControls'));

  const own = policies.filter((policy) => policy.link.kind === 'declared' && policy.link.logicalId === logicalId);
  const foreign = policies.filter((policy) => mayTarget(policy.link, resource));
  const ownGap = own.map((policy) => policy.document).find(isUnknown);
  let policy: Maybe<string | null>;
  if (ownGap !== undefined) {
    policy = ownGap;
  } else if (foreign.length > 0) {
    const names = foreign.map((p) => `${p.resource.logicalId} (Bucket ${p.link.kind === 'unresolved' ? p.link.text : ''})`).join(', ');
    policy = unknown(
      'unsupported',
      `BucketPolicy ${names} applies to a bucket named at deploy time, which may be ${name}; audit the deployed bucket live.`,
    );
  } else {
    policy = mergePolicies(own.map((p) => p.document as string));
  }

  const publicAccess = evaluatePublicAccess({
    acl,
    objectOwnership,
    bucketPublicAccessBlock: publicAccessBlock,
    accountPublicAccessBlock: null,
    policy,
    policyStatusIsPublic: null,
  });

  const locations: Record<string, SourceLocation> = {};
  const policyLocation = (own[0] ?? foreign[0])?.resource.position;
  const viaLocation =
    publicAccess.via[0] === 'acl'
      ? where('AccessControl')
      : publicAccess.via[0] === 'policy' && policyLocation !== undefined
        ? locationOf(index, policyLocation)
        : undefined;
  // An undecided verdict points at what left it open.
  const undecidedLocation = isUnknown(publicAccess.isPublic)
    ? ([
        [acl, where('AccessControl')],
        [publicAccessBlock, where('PublicAccessBlockConfiguration')],
        [objectOwnership, where('OwnershipControls')],
        [policy, policyLocation === undefined ? undefined : locationOf(index, policyLocation)],
      ] as const).find(([value, location]) => isUnknown(value) && location !== undefined)?.[1]
    : undefined;
  const decisive = viaLocation ?? undecidedLocation;
  if (decisive !== undefined) {
    locations['publicAccess.via'] = decisive;
  }
  const pabLocation = where('PublicAccessBlockConfiguration');
  if (pabLocation !== undefined) {
    locations.publicAccessBlock = pabLocation;
  }
  const loggingLocation = where('LoggingConfiguration');
  if (loggingLocation !== undefined) {
    locations.logging = loggingLocation;
  }

  return {
    ref: { type: BUCKET_TYPE, id: logicalId, name, accountId: null, region: DEPLOYMENT_REGION, location: locationOf(index, resource.position) },
    locations,
    name,
    region: DEPLOYMENT_REGION,
    ownerAccountId: '',
    trailArns,
    acl,
    policy,
    policyStatusIsPublic: null,
    publicAccessBlock,
    objectOwnership,
    publicAccess,
    logging: readLogging(valueOf(properties, 'LoggingConfiguration'), name, index, context('LoggingConfiguration')),
  };
}

/** Stand-in for a bucket the template names but does not declare (or names in a way we cannot resolve). */
export function unresolvedBucketFacts(
  link: Extract<BucketLink, { kind: 'unresolved' }>,
  trailArns: readonly string[],
  location: SourceLocation,
): BucketFacts {
  const who = trailArns.length === 1 ? `Trail ${trailArns[0] ?? ''} delivers` : `Trails ${trailArns.join(', ')} deliver`;
  const gap: Unknown = unknown(link.reason, `${who} to ${link.text}: ${link.why}.`);
  const name = link.literal ?? link.text;
  return unreadableBucket({ type: BUCKET_TYPE, id: link.text, name, accountId: null, region: DEPLOYMENT_REGION, location }, name, trailArns, gap);
}
