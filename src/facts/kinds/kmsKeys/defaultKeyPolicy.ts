/**
 * The key policy KMS attaches to a key created without one (KMS Developer Guide, "Default key
 * policy", https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html): the
 * owning account (root) may do everything, no service principal is named, so CloudTrail cannot
 * use the key. The IaC readers give it to a declared key whose template or plan sets no policy;
 * the account is a placeholder (the file does not know it), which names no principal a check
 * could mistake for CloudTrail or for everyone.
 */
export const DEFAULT_KEY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Id: 'key-default-1',
  Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::<AWS::AccountId>:root' }, Action: 'kms:*', Resource: '*' },
  ],
});
