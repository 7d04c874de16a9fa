/**
 * The metric-filter patterns the CIS monitoring items and Security Hub CloudWatch.1–14 prescribe,
 * per pattern set, as data (CONTROLS.md §2.2 "Exact filter patterns" is the source of every
 * string here; the order of terms is theirs, since a reordered filter is not 'exact').
 *
 * Sets: `securityhub` (default: the pattern AWS shows for each CloudWatch.x control), `cis-1.4`,
 * `cis-3.0`, `cis-5.0`. They differ for unauthorized API calls (CloudWatch.2), security-group
 * changes (CloudWatch.10) and route-table changes (CloudWatch.13); CIS accepts two console
 * sign-in-without-MFA patterns (CloudWatch.3), so an item has a list of accepted patterns.
 * CIS 4.15 (Organizations changes) has no Security Hub control: its `securityhub` entry is the
 * CIS pattern, the only prescription there is.
 */

export const PATTERN_SETS = ['securityhub', 'cis-1.4', 'cis-3.0', 'cis-5.0'] as const;
export type PatternSet = (typeof PATTERN_SETS)[number];
export const DEFAULT_PATTERN_SET: PatternSet = 'securityhub';

export const MONITORING_CONTROLS = [
  'CloudWatch.1',
  'CloudWatch.2',
  'CloudWatch.3',
  'CloudWatch.4',
  'CloudWatch.5',
  'CloudWatch.6',
  'CloudWatch.7',
  'CloudWatch.8',
  'CloudWatch.9',
  'CloudWatch.10',
  'CloudWatch.11',
  'CloudWatch.12',
  'CloudWatch.13',
  'CloudWatch.14',
  'CIS.4.15',
] as const;
export type MonitoringControl = (typeof MONITORING_CONTROLS)[number];

/** `{ ($.eventName = A) || ($.eventName = B) … }`, CIS's spelling of an event-name list. */
function anyEventName(names: readonly string[], prefix = ''): string {
  return `{ ${prefix}${names.map((name) => `($.eventName = ${name})`).join(' || ')} }`;
}

const SECURITY_GROUP_EVENTS = ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup'];
const NACL_EVENTS = ['CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation'];
const GATEWAY_EVENTS = ['CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway'];
const ROUTE_TABLE_EVENTS = ['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable'];
const VPC_EVENTS = [
  'CreateVpc',
  'DeleteVpc',
  'ModifyVpcAttribute',
  'AcceptVpcPeeringConnection',
  'CreateVpcPeeringConnection',
  'DeleteVpcPeeringConnection',
  'RejectVpcPeeringConnection',
  'AttachClassicLinkVpc',
  'DetachClassicLinkVpc',
  'DisableVpcClassicLink',
  'EnableVpcClassicLink',
];
const IAM_POLICY_EVENTS = [
  'DeleteGroupPolicy',
  'DeleteRolePolicy',
  'DeleteUserPolicy',
  'PutGroupPolicy',
  'PutRolePolicy',
  'PutUserPolicy',
  'CreatePolicy',
  'DeletePolicy',
  'CreatePolicyVersion',
  'DeletePolicyVersion',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'AttachUserPolicy',
  'DetachUserPolicy',
  'AttachGroupPolicy',
  'DetachGroupPolicy',
];
const S3_POLICY_EVENTS = ['PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication', 'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication'];
const ORGANIZATIONS_EVENTS = [
  'AcceptHandshake',
  'AttachPolicy',
  'CreateAccount',
  'CreateOrganizationalUnit',
  'CreatePolicy',
  'DeclineHandshake',
  'DeleteOrganization',
  'DeleteOrganizationalUnit',
  'DeletePolicy',
  'DetachPolicy',
  'DisablePolicyType',
  'EnablePolicyType',
  'InviteAccountToOrganization',
  'LeaveOrganization',
  'MoveAccount',
  'RemoveAccountFromOrganization',
  'UpdatePolicy',
  'UpdateOrganizationalUnit',
];

const MFA_BASIC = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }';
const MFA_SSO_AWARE = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }';
const CIS_UNAUTHORIZED_V3 = '{ ($.errorCode =*UnauthorizedOperation) || ($.errorCode =AccessDenied*) && ($.sourceIPAddress!=delivery.logs.amazonaws.com) && ($.eventName!=HeadBucket) }';
// CONTROLS §2.2 says v3.0/v5.0 "add ModifySecurityGroupRules" without its position; the public
// transcriptions of the CIS audit text put it last, and order matters (a reordering is not exact).
const CIS_SECURITY_GROUP_V3 = anyEventName([...SECURITY_GROUP_EVENTS, 'ModifySecurityGroupRules']);
// v3.0/v5.0 put the eventSource term before the first ||-term, with no parentheses (a mixed chain).
const CIS_ROUTE_TABLE_V3 = anyEventName(ROUTE_TABLE_EVENTS, '($.eventSource = ec2.amazonaws.com) && ');

/** A pattern the same in every CIS version: written once, shared by the three CIS sets. */
interface ControlPatterns {
  readonly securityhub: readonly string[];
  readonly 'cis-1.4': readonly string[];
  readonly 'cis-3.0': readonly string[];
  readonly 'cis-5.0': readonly string[];
}

function sameInCis(securityhub: string, cis: readonly string[]): ControlPatterns {
  return { securityhub: [securityhub], 'cis-1.4': cis, 'cis-3.0': cis, 'cis-5.0': cis };
}

const PATTERNS: Readonly<Record<MonitoringControl, ControlPatterns>> = {
  'CloudWatch.1': sameInCis('{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}', [
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  ]),
  'CloudWatch.2': {
    securityhub: ['{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}'],
    'cis-1.4': ['{ ($.errorCode = *UnauthorizedOperation) || ($.errorCode = AccessDenied*) || ($.sourceIPAddress!=delivery.logs.amazonaws.com) || ($.eventName!=HeadBucket) }'],
    'cis-3.0': [CIS_UNAUTHORIZED_V3],
    'cis-5.0': [CIS_UNAUTHORIZED_V3],
  },
  'CloudWatch.3': sameInCis(MFA_SSO_AWARE, [MFA_BASIC, MFA_SSO_AWARE]),
  'CloudWatch.4': sameInCis(`{${IAM_POLICY_EVENTS.map((name) => `($.eventName=${name})`).join(' || ')}}`, [`{${IAM_POLICY_EVENTS.map((name) => `($.eventName=${name})`).join('||')}}`]),
  'CloudWatch.5': sameInCis('{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}', [
    '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
  ]),
  'CloudWatch.6': sameInCis('{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}', ['{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }']),
  'CloudWatch.7': sameInCis('{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}', [
    '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
  ]),
  'CloudWatch.8': sameInCis(`{($.eventSource=s3.amazonaws.com) && (${S3_POLICY_EVENTS.map((name) => `($.eventName=${name})`).join(' || ')})}`, [
    `{ ($.eventSource = s3.amazonaws.com) && (${S3_POLICY_EVENTS.map((name) => `($.eventName = ${name})`).join(' || ')}) }`,
  ]),
  'CloudWatch.9': sameInCis(
    '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
    ['{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }'],
  ),
  'CloudWatch.10': {
    securityhub: [anyEventName(SECURITY_GROUP_EVENTS)],
    'cis-1.4': [anyEventName(SECURITY_GROUP_EVENTS)],
    'cis-3.0': [CIS_SECURITY_GROUP_V3],
    'cis-5.0': [CIS_SECURITY_GROUP_V3],
  },
  'CloudWatch.11': sameInCis(anyEventName(NACL_EVENTS), [anyEventName(NACL_EVENTS)]),
  'CloudWatch.12': sameInCis(anyEventName(GATEWAY_EVENTS), [anyEventName(GATEWAY_EVENTS)]),
  'CloudWatch.13': {
    securityhub: [anyEventName(ROUTE_TABLE_EVENTS)],
    'cis-1.4': [anyEventName(ROUTE_TABLE_EVENTS)],
    'cis-3.0': [CIS_ROUTE_TABLE_V3],
    'cis-5.0': [CIS_ROUTE_TABLE_V3],
  },
  'CloudWatch.14': sameInCis(anyEventName(VPC_EVENTS), [anyEventName(VPC_EVENTS)]),
  'CIS.4.15': sameInCis(`{ ($.eventSource = organizations.amazonaws.com) && (${ORGANIZATIONS_EVENTS.map((name) => `($.eventName = "${name}")`).join(' || ')}) }`, [
    `{ ($.eventSource = organizations.amazonaws.com) && (${ORGANIZATIONS_EVENTS.map((name) => `($.eventName = "${name}")`).join(' || ')}) }`,
  ]),
};

/** The patterns a filter may equal for `control` under `set`: one, or two for CIS's MFA item. */
export function prescribedPatterns(control: MonitoringControl, set: PatternSet = DEFAULT_PATTERN_SET): readonly string[] {
  return PATTERNS[control][set];
}
