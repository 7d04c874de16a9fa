/**
 * A check's `permissions` follow from its `needs`: the IAM actions of the calls the collector makes
 * to gather those facts (src/collect/live/permissions.ts). A check file may leave them out (they
 * are derived) or list them; a list missing one is refused, since `iam-policy` and the catalogue
 * would then understate what the check needs.
 */
import { permissionsFor } from '../collect/live/permissions.js';
import type { FactNeed } from '../facts/model.js';

/**
 * The actions `needs` make the collector call, sorted, without those every audit makes whatever
 * its checks (sts:GetCallerIdentity, ec2:DescribeRegions): `iam-policy` adds those once.
 */
export function permissionsForNeeds(needs: readonly FactNeed[]): string[] {
  const always = new Set(permissionsFor(new Set()));
  return permissionsFor(new Set(needs)).filter((action) => !always.has(action));
}

/** An IAM action pattern as IAM reads it: case-insensitive, `*` and `?` wildcards. */
function actionPattern(permission: string): RegExp {
  const body = permission.replace(/[.+^${}()|[\]\\]/gu, '\\$&').replace(/\*/gu, '.*').replace(/\?/gu, '.');
  return new RegExp(`^${body}$`, 'iu');
}

/** The actions `needs` require that `permissions` does not grant (`cloudtrail:*` grants every cloudtrail action). */
export function missingPermissions(needs: readonly FactNeed[], permissions: readonly string[]): string[] {
  const granted = permissions.map(actionPattern);
  return permissionsForNeeds(needs).filter((action) => !granted.some((pattern) => pattern.test(action)));
}
