// The console's submit form turns what a user typed into the API's task submission.
import {
  fieldsOf,
  formFieldOf,
  parseHyperparameters,
  toSubmission,
} from '../../../web/src/tasks/submission-form';
import { diffHyperparameters } from '../../../web/src/tasks/hyperparameter-diff';
import { paramsFromQuery, queryFromParams } from '../../../web/src/tasks/list-query';

describe('the submit form', () => {
  it('reads hyperparameters written as YAML or as JSON alike', () => {
    expect(parseHyperparameters('epochs: 3\nlr: 0.5')).toEqual({ epochs: 3, lr: 0.5 });
    expect(parseHyperparameters('{"epochs": 3, "lr": 0.5}')).toEqual({ epochs: 3, lr: 0.5 });
    expect(parseHyperparameters('  ')).toBeUndefined();
  });

  it('refuses hyperparameters that are not an object of names, saying why', () => {
    expect(() => parseHyperparameters('- 1\n- 2')).toThrow('must be an object');
    expect(() => parseHyperparameters('{"epochs": ')).toThrow('Not valid JSON or YAML');
  });

  it('sends one command argument per line and leaves out what the user left empty', () => {
    expect(
      toSubmission({
        name: ' train ',
        commandText: 'python3\n train.py \n\n',
        envText: 'A=1\nB=x=y',
        resources: { cpu: undefined, gpu: 1 },
      }),
    ).toEqual({
      name: 'train',
      command: ['python3', 'train.py'],
      env: { A: '1', B: 'x=y' },
      resources: { gpu: 1 },
    });
  });

  it('puts an API field error on the field the user typed it in', () => {
    expect(formFieldOf('command')).toBe('commandText');
    expect(formFieldOf('command[0]')).toBe('commandText');
    expect(formFieldOf('resources.gpu')).toEqual(['resources', 'gpu']);
    expect(formFieldOf('name')).toBe('name');
  });

  it('clones a task into fields that submit the same spec under a new name', () => {
    const submission = toSubmission({
      name: 'a',
      commandText: 'python3\nx.py',
      hyperparametersText: 'epochs: 2',
      labelsText: 'team=ml',
    });
    const task = {
      ...submission,
      id: 'x',
      description: null,
      queue: 'default',
      priority: 0,
      shell: false,
      image: null,
      workingDir: null,
      env: {},
      resources: {},
      maxRetries: 0,
      retryBackoffSeconds: 0,
      timeoutSeconds: null,
      noRetryExitCodes: [],
      dependsOn: [],
    } as never;
    const again = toSubmission(fieldsOf(task));
    expect(again).toMatchObject({
      name: 'a (copy)',
      command: ['python3', 'x.py'],
      hyperparameters: { epochs: 2 },
      labels: { team: 'ml' },
    });
  });
});

describe('comparing hyperparameters', () => {
  it('marks a name whose values differ, or that only some tasks have', () => {
    expect(
      diffHyperparameters([
        { lr: 0.1, epochs: 3 },
        { lr: 0.2, epochs: 3, seed: 1 },
      ]),
    ).toEqual([
      { name: 'epochs', values: ['3', '3'], differs: false },
      { name: 'lr', values: ['0.1', '0.2'], differs: true },
      { name: 'seed', values: [undefined, '1'], differs: true },
    ]);
  });
});

describe('the task list URL', () => {
  it('reproduces the filters, sort and cursor it was written from', () => {
    const query = {
      status: ['running' as const, 'failed' as const],
      nameContains: 'resnet',
      sort: 'priority' as const,
      limit: 100,
      cursor: 'abc',
    };
    expect(queryFromParams(paramsFromQuery(query))).toEqual(query);
  });

  it('ignores values the API would refuse and pages by 50 by default', () => {
    expect(queryFromParams(new URLSearchParams('status=bogus&limit=7&sort=name'))).toEqual({
      limit: 50,
    });
  });
});
