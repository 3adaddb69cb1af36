import { App } from 'aws-cdk-lib';
import { DEFAULT_SETTINGS, readSettings } from '../lib/adrec-settings';
import { toSchedulerCron } from '../lib/nightly-cron';
import { MAX_RECEIVE_COUNT, PIPELINE_QUEUES } from '../lib/pipeline-queues.construct';
import { MAX_RECEIVE_COUNT as APP_MAX_RECEIVE_COUNT, QUEUES } from '@adrec/messaging';

const settingsFrom = (context: Record<string, unknown>) => readSettings(new App({ context }).node);

describe('readSettings', () => {
  it('deploys the API to Fargate unless told otherwise', () => {
    expect(settingsFrom({})).toEqual(DEFAULT_SETTINGS);
    expect(settingsFrom({}).apiHosting).toBe('fargate');
    expect(settingsFrom({ apiHosting: 'apprunner' }).apiHosting).toBe('apprunner');
  });

  it('names the bad value when a context flag is wrong', () => {
    expect(() => settingsFrom({ apiHosting: 'lambda' })).toThrow('apiHosting=lambda must be one of fargate, apprunner, none');
    expect(() => settingsFrom({ runStaleHours: '0' })).toThrow('runStaleHours=0');
    expect(() => settingsFrom({ databaseDeletionProtection: 'yes' })).toThrow('databaseDeletionProtection=yes');
    expect(() => settingsFrom({ modelsMinInstances: '5', modelsMaxInstances: '2' })).toThrow('modelsMaxInstances=2');
  });

  it('reads numbers and booleans given as -c strings or as JSON in cdk.json', () => {
    expect(settingsFrom({ runStaleHours: '30', databaseMultiAz: 'true' })).toMatchObject({ runStaleHours: 30, databaseMultiAz: true });
    expect(settingsFrom({ runStaleHours: 30, databaseMultiAz: true })).toMatchObject({ runStaleHours: 30, databaseMultiAz: true });
  });
});

describe('toSchedulerCron', () => {
  it('turns NIGHTLY_CRON into the six-field Scheduler form', () => {
    expect(toSchedulerCron('0 2 * * *')).toBe('cron(0 2 * * ? *)');
    expect(toSchedulerCron('30 1 15 * *')).toBe('cron(30 1 15 * ? *)');
  });

  it('renumbers days of the week from cron 0-6 to Scheduler 1-7', () => {
    expect(toSchedulerCron('0 2 * * 1-5')).toBe('cron(0 2 ? * 2-6 *)');
    expect(toSchedulerCron('0 2 * * 0,6')).toBe('cron(0 2 ? * 1,7 *)');
    expect(toSchedulerCron('0 2 * * 7')).toBe('cron(0 2 ? * 1 *)');
    expect(toSchedulerCron('0 2 * * MON-FRI')).toBe('cron(0 2 ? * MON-FRI *)');
  });

  it('refuses what Scheduler cannot express', () => {
    expect(() => toSchedulerCron('0 2 * *')).toThrow('five fields');
    expect(() => toSchedulerCron('0 2 1 * 1')).toThrow('both day-of-month and day-of-week');
    expect(() => toSchedulerCron('0 2 * * 5-7')).toThrow('Sunday as 0');
  });
});

describe('queue contract', () => {
  it('creates the queues the apps look up by name, with the same maxReceiveCount', () => {
    expect([...PIPELINE_QUEUES]).toEqual([...QUEUES]);
    expect(MAX_RECEIVE_COUNT).toBe(APP_MAX_RECEIVE_COUNT);
  });
});
