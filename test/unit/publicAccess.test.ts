import { strict as assert } from 'node:assert';
import { evaluatePublicAccess, staticPolicyIsPublic } from '../../src/facts/kinds/buckets/publicAccess.js';
import type { PublicAccessInputs } from '../../src/facts/kinds/buckets/publicAccess.js';
import type { AclGrant, Maybe, PublicAccessBlock } from '../../src/facts/model.js';
import { isUnknown, unknown } from '../../src/facts/model.js';

/* ------------------------------------------------------------------ fixtures */

const OWNER: AclGrant = { granteeType: 'CanonicalUser', id: 'abc123', permission: 'FULL_CONTROL' };
const group = (name: string, permission = 'READ', scheme = 'http'): AclGrant => ({
  granteeType: 'Group',
  uri: `${scheme}://acs.amazonaws.com/groups/global/${name}`,
  permission,
});
const ALL_USERS_READ = group('AllUsers');

const pab = (flags: Partial<PublicAccessBlock>): PublicAccessBlock => ({
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
  ...flags,
});

const policy = (...statements: readonly object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (principal: unknown, extra: object = {}): object => ({
  Sid: 'PublicRead',
  Effect: 'Allow',
  Principal: principal,
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::b/*',
  ...extra,
});
const PUBLIC_POLICY = policy(allow('*'));
const CLOUDTRAIL_POLICY = policy(
  {
    Sid: 'AWSCloudTrailAclCheck',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 's3:GetBucketAcl',
    Resource: 'arn:aws:s3:::trail-bucket',
    Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main' } },
  },
  {
    Sid: 'AWSCloudTrailWrite',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: 'arn:aws:s3:::trail-bucket/AWSLogs/111122223333/*',
    Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
  },
);

const DENIED_ACL = unknown('access_denied', 'GetBucketAcl was denied', { operation: 's3:GetBucketAcl' });
const DENIED_POLICY = unknown('access_denied', 'GetBucketPolicy was denied', { operation: 's3:GetBucketPolicy' });
const DENIED_ACCOUNT_PAB = unknown('access_denied', 'GetPublicAccessBlock (account) was denied', {
  operation: 's3:GetAccountPublicAccessBlock',
});

const privateBucket: PublicAccessInputs = {
  acl: [OWNER],
  objectOwnership: null,
  bucketPublicAccessBlock: null,
  accountPublicAccessBlock: null,
  policy: null,
  policyStatusIsPublic: null,
};

/* ------------------------------------------------------------------ static policy analysis */

interface PolicyCase {
  readonly name: string;
  readonly policy: string;
  readonly isPublic: boolean;
  readonly statement?: RegExp;
}

const policyCases: readonly PolicyCase[] = [
  { name: 'Principal * without condition', policy: PUBLIC_POLICY, isPublic: true, statement: /^statement 'PublicRead' allows Principal \* without a pinning condition$/ },
  { name: 'Principal {AWS: "*"}', policy: policy(allow({ AWS: '*' })), isPublic: true, statement: /allows Principal \{"AWS":"\*"\}/ },
  { name: 'Principal {AWS: [fixed, "*"]}', policy: policy(allow({ AWS: ['arn:aws:iam::111122223333:root', '*'] })), isPublic: true },
  { name: 'Principal array containing "*"', policy: policy(allow(['*'])), isPublic: true },
  { name: 'wildcard account principal arn:aws:iam::*:root', policy: policy(allow({ AWS: 'arn:aws:iam::*:root' })), isPublic: true, statement: /iam::\*:root/ },
  {
    name: 'Allow with NotPrincipal',
    policy: policy({ Sid: 'AllBut', Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: '*' }),
    isPublic: true,
    statement: /'AllBut' allows everyone through NotPrincipal/,
  },
  { name: 'fixed account principal', policy: policy(allow({ AWS: 'arn:aws:iam::111122223333:root' })), isPublic: false },
  { name: 'fixed account id as a number-like string', policy: policy(allow({ AWS: '111122223333' })), isPublic: false },
  { name: 'CloudTrail service-principal policy', policy: CLOUDTRAIL_POLICY, isPublic: false },
  { name: 'Deny statement only', policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }), isPublic: false },
  { name: 'single Statement object, not an array', policy: JSON.stringify({ Statement: allow('*') }), isPublic: true },
  {
    name: 'statement label falls back to its position without Sid',
    policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:*' }, { Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'] }),
    isPublic: true,
    statement: /^statement #2 allows Principal \*/,
  },
  // aws:SourceIp
  { name: 'aws:SourceIp /24', policy: policy(allow('*', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })), isPublic: false },
  { name: 'aws:SourceIp single address', policy: policy(allow('*', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.7'] } } })), isPublic: false },
  { name: 'aws:SourceIp 0.0.0.0/0', policy: policy(allow('*', { Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })), isPublic: true },
  { name: 'aws:SourceIp /7 is too wide', policy: policy(allow('*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/7' } } })), isPublic: true },
  {
    name: 'aws:SourceIp one narrow and one open CIDR',
    policy: policy(allow('*', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '0.0.0.0/0'] } } })),
    isPublic: true,
  },
  { name: 'aws:SourceIp IPv6 /48', policy: policy(allow('*', { Condition: { IpAddress: { 'aws:SourceIp': '2001:db8:1234::/48' } } })), isPublic: false },
  { name: 'aws:SourceIp IPv6 ::/0', policy: policy(allow('*', { Condition: { IpAddress: { 'aws:SourceIp': '::/0' } } })), isPublic: true },
  { name: 'NotIpAddress does not pin', policy: policy(allow('*', { Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })), isPublic: true },
  { name: 'condition key is case-insensitive', policy: policy(allow('*', { Condition: { IpAddress: { 'AWS:SOURCEIP': '203.0.113.0/24' } } })), isPublic: false },
  // aws:SourceArn and friends
  {
    name: 'aws:SourceArn fixed (ArnEquals)',
    policy: policy(allow('*', { Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main' } } })),
    isPublic: false,
  },
  {
    name: 'aws:SourceArn wildcard (StringLike)',
    policy: policy(allow('*', { Condition: { StringLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:*:trail/*' } } })),
    isPublic: true,
  },
  {
    name: 'aws:SourceArn fixed via ArnLike without wildcards',
    policy: policy(allow('*', { Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main' } } })),
    isPublic: false,
  },
  { name: 'aws:SourceAccount fixed', policy: policy(allow('*', { Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } })), isPublic: false },
  { name: 'aws:SourceAccount as a JSON number', policy: policy(allow('*', { Condition: { StringEquals: { 'aws:SourceAccount': 111122223333 } } })), isPublic: false },
  // Not in S3's list of pinning keys (CONTROLS §1.6): an organization is not a fixed requester.
  { name: 'aws:PrincipalOrgID fixed', policy: policy(allow('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } })), isPublic: true },
  { name: 'aws:PrincipalAccount fixed', policy: policy(allow('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012' } } })), isPublic: true },
  { name: 's3:DataAccessPointAccount fixed (access point delegation)', policy: policy(allow('*', { Condition: { StringEquals: { 's3:DataAccessPointAccount': '123456789012' } } })), isPublic: false },
  { name: 'aws:SourceVpce fixed with ForAnyValue', policy: policy(allow('*', { Condition: { 'ForAnyValue:StringEquals': { 'aws:SourceVpce': ['vpce-1'] } } })), isPublic: false },
  { name: 'ForAllValues does not pin (true when the key is absent)', policy: policy(allow('*', { Condition: { 'ForAllValues:StringEquals': { 'aws:SourceVpce': ['vpce-1'] } } })), isPublic: true },
  { name: 'StringEqualsIfExists does not pin', policy: policy(allow('*', { Condition: { StringEqualsIfExists: { 'aws:SourceAccount': '111122223333' } } })), isPublic: true },
  { name: 'StringNotEquals does not pin', policy: policy(allow('*', { Condition: { StringNotEquals: { 'aws:SourceAccount': '111122223333' } } })), isPublic: true },
  { name: 'policy variable is not a fixed value', policy: policy(allow('*', { Condition: { StringEquals: { 'aws:userid': '${aws:userid}' } } })), isPublic: true },
  { name: 'aws:userid fixed', policy: policy(allow('*', { Condition: { StringEquals: { 'aws:userid': 'AIDAEXAMPLE' } } })), isPublic: false },
  { name: 'aws:userid AROLEID:* pattern', policy: policy(allow('*', { Condition: { StringLike: { 'aws:userid': 'AROAEXAMPLE:*' } } })), isPublic: true },
  { name: 'non-pinning key (s3:x-amz-acl)', policy: policy(allow('*', { Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } })), isPublic: true },
  {
    name: 'one pinning condition among several suffices (conditions are ANDed)',
    policy: policy(
      allow('*', {
        Condition: {
          Bool: { 'aws:SecureTransport': 'true' },
          StringEquals: { 'aws:SourceAccount': '111122223333' },
        },
      }),
    ),
    isPublic: false,
  },
];

describe('staticPolicyIsPublic', () => {
  for (const c of policyCases) {
    it(`${c.name} → ${c.isPublic ? 'public' : 'not public'}`, () => {
      const result = staticPolicyIsPublic(c.policy);
      assert.equal(result.isPublic, c.isPublic);
      assert.equal(result.publicStatements.length > 0, c.isPublic);
      if (c.statement !== undefined) {
        assert.match(result.publicStatements.join('\n'), c.statement);
      }
    });
  }
  const invalid: readonly { name: string; text: string; message: RegExp }[] = [
    { name: 'invalid JSON', text: '{"Statement": [', message: /not valid JSON/ },
    { name: 'a JSON array', text: '[]', message: /not a JSON object/ },
    { name: 'no Statement', text: '{"Version":"2012-10-17"}', message: /no Statement/ },
    { name: 'Statement of strings', text: '{"Statement":["x"]}', message: /no Statement/ },
  ];
  for (const c of invalid) {
    it(`throws a clear error for ${c.name}`, () => {
      assert.throws(() => staticPolicyIsPublic(c.text), c.message);
    });
  }
});

/* ------------------------------------------------------------------ effective public access */

type Expect = boolean | 'unknown';

interface VerdictCase {
  readonly name: string;
  readonly inputs: Partial<PublicAccessInputs>;
  readonly isPublic: Expect;
  readonly aclPublic?: Expect;
  readonly policyPublic?: Expect;
  readonly via?: readonly string[];
  readonly neutralisedBy?: readonly string[];
  readonly details?: RegExp;
  /** Reason carried by an Unknown verdict. */
  readonly reason?: string;
  readonly operation?: string;
}

function tri(value: Maybe<boolean>): Expect {
  return isUnknown(value) ? 'unknown' : value;
}

const verdictCases: readonly VerdictCase[] = [
  { name: 'private bucket', inputs: {}, isPublic: false, aclPublic: false, policyPublic: false, via: [], neutralisedBy: [] },
  { name: 'AllUsers READ', inputs: { acl: [OWNER, ALL_USERS_READ] }, isPublic: true, via: ['acl'], details: /^ACL grants READ to AllUsers$/ },
  {
    name: 'AuthenticatedUsers READ (any AWS account: public, unlike Prowler)',
    inputs: { acl: [group('AuthenticatedUsers')] },
    isPublic: true,
    via: ['acl'],
    details: /ACL grants READ to AuthenticatedUsers/,
  },
  { name: 'https form of the group URI', inputs: { acl: [group('AllUsers', 'WRITE', 'https')] }, isPublic: true, details: /WRITE to AllUsers/ },
  {
    name: 'group URI with a stray space ("Authenticated Users")',
    inputs: { acl: [{ granteeType: 'Group', uri: 'http://acs.amazonaws.com/groups/global/Authenticated Users', permission: 'READ_ACP' }] },
    isPublic: true,
  },
  { name: 'LogDelivery group only', inputs: { acl: [OWNER, group('LogDelivery', 'WRITE'), group('LogDelivery', 'READ_ACP')] }, isPublic: false, details: /^$/ },
  {
    name: 'public ACL, IgnorePublicAcls at bucket',
    inputs: { acl: [ALL_USERS_READ], bucketPublicAccessBlock: pab({ ignorePublicAcls: true }) },
    isPublic: false,
    neutralisedBy: ['IgnorePublicAcls (bucket)'],
    details: /READ to AllUsers/,
  },
  {
    name: 'public ACL, IgnorePublicAcls at account',
    inputs: { acl: [ALL_USERS_READ], accountPublicAccessBlock: pab({ ignorePublicAcls: true }) },
    isPublic: false,
    neutralisedBy: ['IgnorePublicAcls (account)'],
  },
  {
    name: 'public ACL, ObjectOwnership BucketOwnerEnforced',
    inputs: { acl: [ALL_USERS_READ], objectOwnership: 'BucketOwnerEnforced' },
    isPublic: false,
    neutralisedBy: ['ObjectOwnership BucketOwnerEnforced'],
  },
  { name: 'public ACL, ObjectOwnership BucketOwnerPreferred', inputs: { acl: [ALL_USERS_READ], objectOwnership: 'BucketOwnerPreferred' }, isPublic: true },
  {
    name: 'public ACL, only BlockPublicAcls/BlockPublicPolicy (they do not neutralise existing grants)',
    inputs: { acl: [ALL_USERS_READ], bucketPublicAccessBlock: pab({ blockPublicAcls: true, blockPublicPolicy: true }) },
    isPublic: true,
    neutralisedBy: [],
  },
  {
    name: 'IgnorePublicAcls with nothing public neutralises nothing',
    inputs: { bucketPublicAccessBlock: pab({ ignorePublicAcls: true, restrictPublicBuckets: true }) },
    isPublic: false,
    neutralisedBy: [],
  },
  {
    name: 'policy Principal * without condition',
    inputs: { policy: PUBLIC_POLICY },
    isPublic: true,
    via: ['policy'],
    details: /^policy statement 'PublicRead' allows Principal \* without a pinning condition$/,
  },
  { name: 'policy Principal {AWS:"*"}', inputs: { policy: policy(allow({ AWS: '*' })) }, isPublic: true, via: ['policy'] },
  { name: 'policy with a principal array', inputs: { policy: policy(allow({ AWS: ['arn:aws:iam::111122223333:root', '*'] })) }, isPublic: true },
  { name: 'policy with wildcard account principal', inputs: { policy: policy(allow({ AWS: 'arn:aws:iam::*:root' })) }, isPublic: true },
  { name: 'policy with NotPrincipal', inputs: { policy: policy({ Effect: 'Allow', NotPrincipal: { AWS: '111122223333' }, Action: 's3:*' }) }, isPublic: true },
  { name: 'policy pinned by aws:SourceIp /24', inputs: { policy: policy(allow('*', { Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } })) }, isPublic: false },
  { name: 'policy with aws:SourceIp 0.0.0.0/0', inputs: { policy: policy(allow('*', { Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })) }, isPublic: true },
  { name: 'policy pinned by fixed aws:SourceArn', inputs: { policy: policy(allow('*', { Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:t' } } })) }, isPublic: false },
  { name: 'policy with wildcard aws:SourceArn (StringLike)', inputs: { policy: policy(allow('*', { Condition: { StringLike: { 'aws:SourceArn': 'arn:aws:sns:*' } } })) }, isPublic: true },
  { name: 'policy pinned by aws:SourceAccount', inputs: { policy: policy(allow('*', { Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } })) }, isPublic: false },
  { name: 'Deny-only policy', inputs: { policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }) }, isPublic: false },
  { name: "CloudTrail's own service-principal policy", inputs: { policy: CLOUDTRAIL_POLICY }, isPublic: false, details: /^$/ },
  {
    name: 'public policy, RestrictPublicBuckets at bucket',
    inputs: { policy: PUBLIC_POLICY, bucketPublicAccessBlock: pab({ restrictPublicBuckets: true }) },
    isPublic: false,
    neutralisedBy: ['RestrictPublicBuckets (bucket)'],
  },
  {
    name: 'public policy, RestrictPublicBuckets at account',
    inputs: { policy: PUBLIC_POLICY, accountPublicAccessBlock: pab({ restrictPublicBuckets: true }) },
    isPublic: false,
    neutralisedBy: ['RestrictPublicBuckets (account)'],
  },
  {
    name: 'public ACL and public policy',
    inputs: { acl: [ALL_USERS_READ], policy: PUBLIC_POLICY },
    isPublic: true,
    via: ['acl', 'policy'],
    details: /AllUsers[\s\S]*PublicRead/,
  },
  {
    name: 'public ACL and public policy, both neutralised at once',
    inputs: {
      acl: [ALL_USERS_READ],
      policy: PUBLIC_POLICY,
      objectOwnership: 'BucketOwnerEnforced',
      bucketPublicAccessBlock: pab({ ignorePublicAcls: true, restrictPublicBuckets: true }),
      accountPublicAccessBlock: pab({ restrictPublicBuckets: true }),
    },
    isPublic: false,
    neutralisedBy: [
      'IgnorePublicAcls (bucket)',
      'ObjectOwnership BucketOwnerEnforced',
      'RestrictPublicBuckets (bucket)',
      'RestrictPublicBuckets (account)',
    ],
  },
  // GetBucketPolicyStatus overrides the static analysis
  {
    name: 'policyStatusIsPublic true overrides a statically private policy',
    inputs: { policy: CLOUDTRAIL_POLICY, policyStatusIsPublic: true },
    isPublic: true,
    via: ['policy'],
    details: /GetBucketPolicyStatus reports the bucket policy as public/,
  },
  {
    name: 'policyStatusIsPublic false overrides a statically public policy',
    inputs: { policy: PUBLIC_POLICY, policyStatusIsPublic: false },
    isPublic: false,
    details: /^$/,
  },
  {
    name: 'policyStatusIsPublic unreadable falls back to static analysis',
    inputs: { policy: PUBLIC_POLICY, policyStatusIsPublic: unknown('access_denied', 'denied', { operation: 's3:GetBucketPolicyStatus' }) },
    isPublic: true,
  },
  { name: 'policyStatusIsPublic true but no policy', inputs: { policy: null, policyStatusIsPublic: true }, isPublic: false },
  // unknowns
  {
    name: 'ACL denied, nothing neutralising → Unknown',
    inputs: { acl: DENIED_ACL },
    isPublic: 'unknown',
    aclPublic: 'unknown',
    policyPublic: false,
    reason: 'access_denied',
    operation: 's3:GetBucketAcl',
  },
  { name: 'ACL denied but account IgnorePublicAcls → not public', inputs: { acl: DENIED_ACL, accountPublicAccessBlock: pab({ ignorePublicAcls: true }) }, isPublic: false, aclPublic: false, neutralisedBy: [] },
  { name: 'ACL denied but BucketOwnerEnforced → not public', inputs: { acl: DENIED_ACL, objectOwnership: 'BucketOwnerEnforced' }, isPublic: false },
  {
    name: 'policy denied, nothing neutralising → Unknown',
    inputs: { policy: DENIED_POLICY },
    isPublic: 'unknown',
    policyPublic: 'unknown',
    reason: 'access_denied',
    operation: 's3:GetBucketPolicy',
  },
  // GetBucketPolicyStatus may be allowed where GetBucketPolicy is not: S3's verdict decides.
  { name: 'policy denied, S3 says not public → not public', inputs: { policy: DENIED_POLICY, policyStatusIsPublic: false }, isPublic: false, policyPublic: false },
  {
    name: 'policy denied, S3 says public → public',
    inputs: { policy: DENIED_POLICY, policyStatusIsPublic: true },
    isPublic: true,
    policyPublic: true,
    via: ['policy'],
    details: /GetBucketPolicyStatus reports the bucket policy as public/,
  },
  {
    name: 'policy and its status both denied → Unknown',
    inputs: { policy: DENIED_POLICY, policyStatusIsPublic: unknown('access_denied', 'denied', { operation: 's3:GetBucketPolicyStatus' }) },
    isPublic: 'unknown',
    reason: 'access_denied',
    operation: 's3:GetBucketPolicy',
  },
  { name: 'policy denied but RestrictPublicBuckets (bucket) → not public', inputs: { policy: DENIED_POLICY, bucketPublicAccessBlock: pab({ restrictPublicBuckets: true }) }, isPublic: false, policyPublic: false, neutralisedBy: [] },
  {
    name: 'public ACL + policy denied → public',
    inputs: { acl: [ALL_USERS_READ], policy: DENIED_POLICY },
    isPublic: true,
    aclPublic: true,
    policyPublic: 'unknown',
    via: ['acl'],
  },
  {
    name: 'account PAB denied + public ACL + bucket PAB null → Unknown',
    inputs: { acl: [ALL_USERS_READ], accountPublicAccessBlock: DENIED_ACCOUNT_PAB, bucketPublicAccessBlock: null },
    isPublic: 'unknown',
    aclPublic: 'unknown',
    reason: 'access_denied',
    operation: 's3:GetAccountPublicAccessBlock',
    details: /READ to AllUsers/,
  },
  {
    name: 'account PAB denied + public ACL, but bucket IgnorePublicAcls → not public',
    inputs: { acl: [ALL_USERS_READ], accountPublicAccessBlock: DENIED_ACCOUNT_PAB, bucketPublicAccessBlock: pab({ ignorePublicAcls: true }) },
    isPublic: false,
    neutralisedBy: ['IgnorePublicAcls (bucket)'],
  },
  {
    name: 'account PAB denied + private ACL and no policy → not public (nothing to neutralise)',
    inputs: { accountPublicAccessBlock: DENIED_ACCOUNT_PAB },
    isPublic: false,
  },
  { name: 'ownership controls unreadable + public ACL → Unknown', inputs: { acl: [ALL_USERS_READ], objectOwnership: unknown('error', 'boom') }, isPublic: 'unknown', reason: 'error' },
  { name: 'invalid policy JSON → Unknown(error)', inputs: { policy: '{not json' }, isPublic: 'unknown', policyPublic: 'unknown', reason: 'error', operation: 's3:GetBucketPolicy' },
  { name: 'invalid policy JSON but S3 answered the policy status → S3 wins', inputs: { policy: '{not json', policyStatusIsPublic: false }, isPublic: false },
  { name: 'invalid policy JSON but RestrictPublicBuckets → not public', inputs: { policy: '{not json', accountPublicAccessBlock: pab({ restrictPublicBuckets: true }) }, isPublic: false },
];

describe('evaluatePublicAccess', () => {
  for (const c of verdictCases) {
    it(`${c.name} → ${String(c.isPublic)}`, () => {
      const verdict = evaluatePublicAccess({ ...privateBucket, ...c.inputs });
      assert.equal(tri(verdict.isPublic), c.isPublic);
      if (c.aclPublic !== undefined) {
        assert.equal(tri(verdict.aclPublic), c.aclPublic, 'aclPublic');
      }
      if (c.policyPublic !== undefined) {
        assert.equal(tri(verdict.policyPublic), c.policyPublic, 'policyPublic');
      }
      if (c.via !== undefined) {
        assert.deepEqual(verdict.via, c.via);
      }
      if (c.neutralisedBy !== undefined) {
        assert.deepEqual(verdict.neutralisedBy, c.neutralisedBy);
      }
      if (c.details !== undefined) {
        assert.match(verdict.details.join('\n'), c.details);
      }
      // via always agrees with the parts known to be public
      assert.equal(verdict.via.includes('acl'), verdict.aclPublic === true);
      assert.equal(verdict.via.includes('policy'), verdict.policyPublic === true);
      if (isUnknown(verdict.isPublic)) {
        assert.equal(verdict.isPublic.$unknown.reason, c.reason ?? verdict.isPublic.$unknown.reason);
        if (c.operation !== undefined) {
          assert.equal(verdict.isPublic.$unknown.operation, c.operation);
        }
      } else {
        assert.equal(c.reason, undefined, 'an Unknown verdict was expected');
      }
    });
  }

  it('an Unknown verdict carries the underlying detail unchanged', () => {
    const verdict = evaluatePublicAccess({ ...privateBucket, acl: DENIED_ACL });
    assert.deepEqual(verdict.isPublic, DENIED_ACL);
  });

  it('no single unreadable fact ever yields isPublic false on a bucket with a public ACL and policy', () => {
    const exposed: PublicAccessInputs = { ...privateBucket, acl: [ALL_USERS_READ], policy: PUBLIC_POLICY };
    const gap = unknown('access_denied', 'denied');
    for (const key of Object.keys(exposed) as (keyof PublicAccessInputs)[]) {
      const verdict = evaluatePublicAccess({ ...exposed, [key]: gap });
      assert.notEqual(verdict.isPublic, false, `isPublic false with ${key} unreadable`);
    }
  });
});
