/**
 * cloudTrailKeyAccess (kmsKeys/keyPolicy.ts): may CloudTrail encrypt THIS trail's logs with the
 * key? Each case is a key policy a person could write, with the verdict AWS gives for
 * CloudTrail's GenerateDataKey request and a fragment the explanation must contain.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { cloudTrailKeyAccess, type CloudTrailKeyTarget } from '../../src/facts/kinds/kmsKeys/keyPolicy.js';
import { fuzzParameters } from '../fuzz/inputs.js';

const ACCOUNT = '111122223333';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/audit`;
const TARGET: CloudTrailKeyTarget = {
  trailArn: TRAIL_ARN,
  trailAccountId: ACCOUNT,
  trailRegion: 'us-east-1',
  partition: 'aws',
};

/** The statement KMS puts in every key's default policy. */
const ROOT_STATEMENT = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};

/** The statement of the AWS documented default CloudTrail key policy ("Allow CloudTrail to encrypt logs"). */
function cloudTrailStatement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Sid: 'Allow CloudTrail to encrypt logs',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 'kms:GenerateDataKey*',
    Resource: '*',
    Condition: {
      StringEquals: { 'aws:SourceArn': TRAIL_ARN },
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
    },
    ...overrides,
  };
}

function policy(...statements: unknown[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

interface Case {
  readonly name: string;
  readonly policy: string;
  readonly allowed: boolean | 'unparseable';
  readonly explains: string | RegExp;
  readonly target?: CloudTrailKeyTarget;
}

const CASES: readonly Case[] = [
  {
    name: 'AWS default CloudTrail key policy',
    policy: policy(
      ROOT_STATEMENT,
      cloudTrailStatement(),
      {
        Sid: 'Allow CloudTrail to describe key',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
      },
      {
        Sid: 'Allow principals in the account to decrypt log files',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:CallerAccount': ACCOUNT },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
        },
      },
      {
        Sid: 'Allow alias creation during setup',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:CreateAlias',
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com', 'kms:CallerAccount': ACCOUNT } },
      },
    ),
    allowed: true,
    explains: "Statement 'Allow CloudTrail to encrypt logs' allows",
  },
  {
    name: 'documented policy without the SourceArn condition (encryption context StringLike only)',
    policy: policy(
      ROOT_STATEMENT,
      cloudTrailStatement({
        Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } },
      }),
    ),
    allowed: true,
    explains: 'allows CloudTrail',
  },
  {
    name: 'encryption context pinned to another account',
    policy: policy(
      cloudTrailStatement({
        Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:999988887777:trail/*' } },
      }),
    ),
    allowed: false,
    explains: 'does not hold for this trail',
  },
  {
    name: 'root-only default key policy (the classic broken setup)',
    policy: policy(ROOT_STATEMENT),
    allowed: false,
    explains:
      'The key policy grants only the account root; CloudTrail (cloudtrail.amazonaws.com) is not allowed kms:GenerateDataKey*',
  },
  {
    name: 'root given as a bare account id, and an IAM role',
    policy: policy(
      { ...ROOT_STATEMENT, Principal: { AWS: ACCOUNT } },
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` }, Action: 'kms:*', Resource: '*' },
    ),
    allowed: false,
    explains: 'no Allow statement names cloudtrail.amazonaws.com',
  },
  {
    name: 'aws:SourceArn of another trail',
    policy: policy(
      cloudTrailStatement({ Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/other` } } }),
    ),
    allowed: false,
    explains: /aws:SourceArn .*trail\/other.* does not hold for this trail/,
  },
  {
    name: 'aws:SourceArn ArnLike wildcard over the account’s trails',
    policy: policy(cloudTrailStatement({ Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } } })),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'aws:SourceArn StringLike wildcard on the trail name',
    policy: policy(cloudTrailStatement({ Condition: { StringLike: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/au?it*` } } })),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'ArnLike: a * does not run across the colons of an ARN',
    policy: policy(cloudTrailStatement({ Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudtrail:*:trail/audit` } } })),
    allowed: false,
    explains: 'does not hold',
  },
  {
    name: 'the encryption-context key after kms:EncryptionContext: is compared as written',
    policy: policy(cloudTrailStatement({ Condition: { StringLike: { 'KMS:ENCRYPTIONCONTEXT:AWS:CloudTrail:ARN': '*' } } })),
    allowed: false,
    explains: 'not evaluated',
  },
  {
    name: 'the kms:EncryptionContext: prefix itself is case-insensitive',
    policy: policy(cloudTrailStatement({ Condition: { StringLike: { 'KMS:EncryptionContext:aws:cloudtrail:arn': '*' } } })),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'StringEquals is case-sensitive on the value',
    policy: policy(cloudTrailStatement({ Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN.toUpperCase() } } })),
    allowed: false,
    explains: 'does not hold',
  },
  {
    name: 'condition key names are case-insensitive',
    policy: policy(cloudTrailStatement({ Condition: { StringEquals: { 'AWS:SOURCEACCOUNT': ACCOUNT } } })),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'an explicit Deny overrides the Allow',
    policy: policy(cloudTrailStatement(), {
      Sid: 'NoCloudTrail',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:GenerateDataKey',
      Resource: '*',
    }),
    allowed: false,
    explains: "statement 'NoCloudTrail' denies it",
  },
  {
    name: 'a Deny limited to other trails does not apply',
    policy: policy(cloudTrailStatement(), {
      Sid: 'OnlyAudit',
      Effect: 'Deny',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:*',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:SourceArn': TRAIL_ARN } },
    }),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'a Deny of another action does not apply',
    policy: policy(cloudTrailStatement(), { Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'a Deny under a condition that is not evaluated is treated as applying',
    policy: policy(cloudTrailStatement(), {
      Sid: 'ViaOnly',
      Effect: 'Deny',
      Principal: '*',
      Action: '*',
      Resource: '*',
      Condition: { StringNotEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    }),
    allowed: false,
    explains: /'ViaOnly' denies it .*kms:ViaService.*treated as applying/,
  },
  {
    name: 'NotAction that excludes only Decrypt grants GenerateDataKey',
    policy: policy(cloudTrailStatement({ Action: undefined, NotAction: ['kms:Decrypt', 'kms:ScheduleKeyDeletion'] })),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'NotAction that excludes GenerateDataKey* does not grant it',
    policy: policy(cloudTrailStatement({ Action: undefined, NotAction: 'kms:GenerateDataKey*' })),
    allowed: false,
    explains: 'no Allow statement names',
  },
  {
    name: 'Deny with NotAction that excludes GenerateDataKey does not apply',
    policy: policy(cloudTrailStatement(), { Effect: 'Deny', Principal: '*', NotAction: 'kms:GenerateDataKey*', Resource: '*' }),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'condition on a key the request does not determine (kms:CallerAccount)',
    policy: policy(cloudTrailStatement({ Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } })),
    allowed: false,
    explains: /kms:CallerAccount.*not evaluated.*treated as not granting/,
  },
  {
    name: 'an operator that is not evaluated (Bool) on an unknown key',
    policy: policy(cloudTrailStatement({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } })),
    allowed: false,
    explains: 'aws:SecureTransport',
  },
  {
    name: 'a policy variable in a condition value',
    policy: policy(cloudTrailStatement({ Condition: { StringEquals: { 'aws:SourceAccount': '${aws:PrincipalAccount}' } } })),
    allowed: false,
    explains: 'policy variable',
  },
  {
    name: 'Principal "*" with an aws:SourceAccount condition for the trail’s account',
    policy: policy({ Sid: 'Any', Effect: 'Allow', Principal: '*', Action: 'kms:GenerateDataKey*', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } }),
    allowed: true,
    explains: "Statement 'Any' allows",
  },
  {
    name: 'Principal "*" with an aws:SourceAccount condition for another account',
    policy: policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:GenerateDataKey*', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': '999988887777' } } }),
    allowed: false,
    explains: /statement #1: condition StringEquals aws:SourceAccount .*999988887777/,
  },
  {
    name: 'account id written as a number',
    policy: `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Condition":{"StringEquals":{"aws:SourceAccount":${ACCOUNT}}}}]}`,
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'ForAnyValue:StringLike on the encryption context',
    policy: policy(cloudTrailStatement({ Condition: { 'ForAnyValue:StringLike': { 'kms:EncryptionContext:aws:cloudtrail:arn': ['arn:aws:cloudtrail:*:999988887777:trail/*', `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*`] } } })),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'ForAllValues:ArnEquals with another trail',
    policy: policy(cloudTrailStatement({ Condition: { 'ForAllValues:ArnEquals': { 'aws:SourceArn': [`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/x`] } } })),
    allowed: false,
    explains: 'does not hold',
  },
  {
    name: 'StringEqualsIfExists on the trail account',
    policy: policy(cloudTrailStatement({ Condition: { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } } })),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'lists everywhere: Service list, Action list, condition value list',
    policy: policy(
      cloudTrailStatement({
        Principal: { Service: ['config.amazonaws.com', 'cloudtrail.amazonaws.com'], AWS: [`arn:aws:iam::${ACCOUNT}:root`] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Condition: { StringEquals: { 'aws:SourceArn': [`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/other`, TRAIL_ARN] } },
      }),
    ),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'a single statement object instead of a list',
    policy: JSON.stringify({ Statement: cloudTrailStatement() }),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'action names are case-insensitive',
    policy: policy(cloudTrailStatement({ Action: 'KMS:generatedatakey*' })),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'kms:* grants it',
    policy: policy(cloudTrailStatement({ Action: 'kms:*' })),
    allowed: true,
    explains: 'allows',
  },
  {
    name: '* grants it',
    policy: policy(cloudTrailStatement({ Action: '*' })),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'kms:Encrypt alone does not grant GenerateDataKey',
    policy: policy(cloudTrailStatement({ Action: ['kms:Encrypt', 'kms:GenerateDataKeyWithoutPlaintext'] })),
    allowed: false,
    explains: 'no Allow statement names',
  },
  {
    name: 'another service principal only',
    policy: policy(cloudTrailStatement({ Principal: { Service: 'logs.amazonaws.com' } })),
    allowed: false,
    explains: 'no Allow statement names',
  },
  {
    name: 'China partition spelling of the service principal',
    policy: policy(cloudTrailStatement({ Principal: { Service: 'cloudtrail.amazonaws.com.cn' }, Condition: undefined })),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'NotPrincipal that excludes only a role lets CloudTrail in',
    policy: policy(cloudTrailStatement({ Principal: undefined, NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/X` } })),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'Null condition: the encryption context key is present',
    policy: policy(cloudTrailStatement({ Condition: { Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'false' } } })),
    allowed: true,
    explains: 'allows',
  },
  {
    name: 'not JSON',
    policy: '{"Statement": [',
    allowed: 'unparseable',
    explains: 'is not valid JSON',
  },
  {
    name: 'JSON but not a policy',
    policy: '["Allow"]',
    allowed: 'unparseable',
    explains: 'is not a JSON object',
  },
  {
    name: 'no Statement',
    policy: '{"Version":"2012-10-17"}',
    allowed: 'unparseable',
    explains: 'has no Statement',
  },
  {
    name: 'an Effect that is neither Allow nor Deny',
    policy: policy(cloudTrailStatement({ Effect: 'Permit' })),
    allowed: 'unparseable',
    explains: 'Effect "Permit"',
  },
  {
    name: 'an Action that is an object',
    policy: policy(cloudTrailStatement({ Action: { kms: 'GenerateDataKey' } })),
    allowed: 'unparseable',
    explains: 'Action is not a string or list of strings',
  },
];

describe('cloudTrailKeyAccess (key policy lets CloudTrail encrypt this trail’s logs)', () => {
  for (const c of CASES) {
    it(`${c.name} → ${String(c.allowed)}`, () => {
      const result = cloudTrailKeyAccess(c.policy, c.target ?? TARGET);
      assert.equal(result.allowed, c.allowed, result.explanation);
      if (typeof c.explains === 'string') {
        assert.ok(result.explanation.includes(c.explains), `explanation: ${result.explanation}`);
      } else {
        assert.match(result.explanation, c.explains);
      }
    });
  }

  describe('Resource: the statement must cover this key', () => {
    const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111aaaa-2222-bbbb-3333-cccc4444dddd`;
    const OTHER_KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/9999ffff-8888-eeee-7777-dddd6666cccc`;
    const WITH_KEY: CloudTrailKeyTarget = { ...TARGET, keyArn: KEY_ARN };

    it("an Allow naming another key's ARN does not let CloudTrail use this key", () => {
      const result = cloudTrailKeyAccess(policy(ROOT_STATEMENT, cloudTrailStatement({ Resource: OTHER_KEY_ARN })), WITH_KEY);
      assert.equal(result.allowed, false, result.explanation);
      assert.match(result.explanation, /no Allow statement names cloudtrail\.amazonaws\.com|grants only the account root|no statement grants it/u);
    });

    it("an Allow with Resource \"*\", the key's own ARN, or a pattern matching it lets CloudTrail in", () => {
      for (const resource of ['*', KEY_ARN, [OTHER_KEY_ARN, KEY_ARN], `arn:aws:kms:us-east-1:${ACCOUNT}:key/*`]) {
        const result = cloudTrailKeyAccess(policy(cloudTrailStatement({ Resource: resource })), WITH_KEY);
        assert.equal(result.allowed, true, `${JSON.stringify(resource)}: ${result.explanation}`);
      }
    });

    it('without the key ARN a specific Resource cannot be matched: not allowed, and the explanation says why', () => {
      const result = cloudTrailKeyAccess(policy(cloudTrailStatement({ Resource: KEY_ARN })), TARGET);
      assert.equal(result.allowed, false, result.explanation);
      assert.match(result.explanation, /names Resource .*which cannot be matched with this key/u);
      assert.ok(result.explanation.includes(KEY_ARN), result.explanation);
      // "*" needs no key ARN.
      assert.equal(cloudTrailKeyAccess(policy(cloudTrailStatement({ Resource: '*' })), TARGET).allowed, true);
    });

    it("a Deny naming another key's ARN does not block this key", () => {
      const deny = { Sid: 'DenyOther', Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:*', Resource: OTHER_KEY_ARN };
      const result = cloudTrailKeyAccess(policy(cloudTrailStatement(), deny), WITH_KEY);
      assert.equal(result.allowed, true, result.explanation);
    });
  });

  it('the same policy grants one trail and not another (the trail ARN decides)', () => {
    const text = policy(cloudTrailStatement({ Condition: { ArnEquals: { 'aws:SourceArn': TRAIL_ARN } } }));
    assert.equal(cloudTrailKeyAccess(text, TARGET).allowed, true);
    const other = { ...TARGET, trailArn: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/audit` };
    assert.equal(cloudTrailKeyAccess(text, other).allowed, false);
  });

  it('any JSON statement list gives a verdict or unparseable, never an exception', () => {
    // Statements built from the names a policy uses, with arbitrary JSON values in every slot.
    const slot = fc.oneof(fc.constantFrom('*', 'Allow', 'Deny', 'kms:*', 'cloudtrail.amazonaws.com', ACCOUNT, TRAIL_ARN), fc.jsonValue());
    const statement = fc.dictionary(
      fc.constantFrom('Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'),
      fc.oneof(slot, fc.dictionary(fc.constantFrom('Service', 'AWS', 'StringEquals', 'ForAllValues:StringLike', 'aws:SourceArn'), slot)),
    );
    fc.assert(
      fc.property(fc.oneof(fc.array(statement), statement, fc.jsonValue()), (statements) => {
        const result = cloudTrailKeyAccess(JSON.stringify({ Statement: statements }), TARGET);
        assert.ok([true, false, 'unparseable'].includes(result.allowed));
        assert.ok(result.explanation.length > 0);
      }),
      fuzzParameters(500),
    );
  });

  it('GovCloud trail against a GovCloud-spelled encryption context pattern', () => {
    const govArn = 'arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/audit';
    const text = policy(
      cloudTrailStatement({
        Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws-us-gov:cloudtrail:*:111122223333:trail/*' } },
      }),
    );
    const gov = { trailArn: govArn, trailAccountId: ACCOUNT, trailRegion: 'us-gov-west-1', partition: 'aws-us-gov' };
    assert.equal(cloudTrailKeyAccess(text, gov).allowed, true);
    assert.equal(cloudTrailKeyAccess(text, TARGET).allowed, false);
  });
});
