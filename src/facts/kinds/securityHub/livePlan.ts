/**
 * The Security Hub kind's stage of the live collection plan (collect/live/plan.ts): DescribeHub in
 * every audited Region as soon as the Regions and the account are known; one item per Region.
 */
import { stageKey, type Contribution, type LiveStage } from '../../../collect/live/plan.js';
import { compare } from '../trails/live.js';
import { describeHub, hubFacts } from './live.js';

export const SECURITY_HUB_STAGE: LiveStage = {
  key: stageKey('securityHub'),
  dependsOn: [],
  start(context) {
    const contribution = (async (): Promise<Contribution> => {
      const regions = await context.regions;
      // Asked at once; the account (from the same first round trip) only names the items.
      const answers = regions.map(async (region) => ({ region, answer: await describeHub(context.clients, context.scheduler, region) }));
      const scope = await context.scope;
      const read = await Promise.all(answers);
      if (scope === null) {
        return {};
      }
      const hubs = read.map(({ region, answer }) => hubFacts(scope, region, answer));
      return { items: { collection: 'securityHubs', items: hubs.sort((a, b) => compare(a.region, b.region)) } };
    })();
    return { contribution };
  },
};
