import { AdrecTemplate } from './adrec-template';

describe('adrec stack without the API (-c apiHosting=none, the first deployment)', () => {
  let t: AdrecTemplate;

  beforeAll(() => {
    t = new AdrecTemplate({ apiHosting: 'none' });
  });

  it('deploys no API of either kind', () => {
    t.main.resourceCountIs('AWS::AppRunner::Service', 0);
    t.main.resourceCountIs('AWS::ECS::Service', 0);
    t.main.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    expect(Object.keys(t.main.findOutputs('ApiUrl'))).toEqual([]);
  });

  it('still deploys the whole pipeline and the tasks that prepare the database for the API', () => {
    t.main.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 3);
    t.main.resourceCountIs('AWS::RDS::DBInstance', 1);
    // The nightly trigger and the nightly retention.
    t.main.resourceCountIs('AWS::Scheduler::Schedule', 2);
    t.main.hasResourceProperties('AWS::ECS::TaskDefinition', { Family: 'adrec-db-admin' });
    t.main.hasResourceProperties('AWS::ECS::TaskDefinition', { Family: 'adrec-cli' });
  });
});
