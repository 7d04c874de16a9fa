/**
 * What sts:GetCallerIdentity answers (its XML body), for the hand-written local endpoints that
 * stand in for AWS where moto cannot throttle (test/collect/retry.test.ts, the Security Hub
 * throttling test).
 */
export function callerIdentityXml(account: string): string {
  return (
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
    `<Arn>arn:aws:iam::${account}:user/auditor</Arn><UserId>AIDAEXAMPLE</UserId><Account>${account}</Account>` +
    '</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>'
  );
}
