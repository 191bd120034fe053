import { RequestValidationError } from '../../../../common/errors/request-validation.error';
import { KilnValidationPipe } from '../../../../common/validation/kiln-validation.pipe';
import { CreateTaskDto } from './create-task.dto';
import { UpdateTaskDto } from './update-task.dto';

const pipe = new KilnValidationPipe();

/** The fields the global validation pipe refuses in a body, or [] when it takes it. */
async function refusedFields(metatype: new () => object, body: unknown): Promise<string[]> {
  try {
    await pipe.transform(body, { type: 'body', metatype });
    return [];
  } catch (error) {
    if (!(error instanceof RequestValidationError)) throw error;
    return [...new Set(error.fieldProblems.map((problem) => problem.field))];
  }
}

const submit = { name: 'train', command: ['python', 'train.py'] };

describe('submit and update bodies', () => {
  it('a submit needs a name', async () => {
    expect(await refusedFields(CreateTaskDto, { command: ['true'] })).toEqual(['name']);
  });

  it.each(['description', 'priority'])('a submit takes a null %s as left out', async (field) => {
    expect(await refusedFields(CreateTaskDto, { ...submit, [field]: null })).toEqual([]);
  });

  it('an update may leave every field out', async () => {
    expect(await refusedFields(UpdateTaskDto, {})).toEqual([]);
  });

  it.each(['name', 'description', 'labels', 'priority'])(
    'an update refuses a null %s',
    async (field) => {
      expect(await refusedFields(UpdateTaskDto, { [field]: null })).toEqual([field]);
    },
  );

  it.each([
    ['name', 'empty', ''],
    ['description', 'over 4000 characters', 'x'.repeat(4001)],
    ['labels', 'with a key that is not a label name', { 'bad key!': 'x' }],
    ['priority', 'above the maximum', 1001],
    ['priority', 'not whole', 1.5],
  ])('submit and update refuse the same %s: %s', async (field, _case, value) => {
    expect(await refusedFields(CreateTaskDto, { ...submit, [field]: value })).toEqual([field]);
    expect(await refusedFields(UpdateTaskDto, { [field]: value })).toEqual([field]);
  });

  it('an update refuses the fields only a submit may carry', async () => {
    expect(await refusedFields(UpdateTaskDto, { command: ['true'] })).toEqual(['command']);
  });
});
