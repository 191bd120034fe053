// A real Kiln server process (from dist/) with one extra test-only route,
// GET /api/v1/probe/slow?ms=N, which answers after N ms: in-flight work that a
// graceful shutdown must let finish. Plain JS so it runs without a TypeScript step;
// decorators are applied with Reflect.decorate, which is what compiled TS does.
const { setTimeout: delay } = require('node:timers/promises');
const { Controller, Get, Logger, Module, Query } = require('@nestjs/common');
const { IS_PUBLIC } = require('../../../dist/common/decorators/public.decorator');
const { runOrExit, startServer } = require('../../../dist/bootstrap');

class SlowProbeController {
  async slow(ms) {
    new Logger('SlowProbe').log('slow request started');
    await delay(Number(ms) || 1000);
    return { finished: true };
  }
}
Reflect.decorate(
  [Get('slow'), (target, key, descriptor) => Query('ms')(target, key, 0) ?? descriptor],
  SlowProbeController.prototype,
  'slow',
  Object.getOwnPropertyDescriptor(SlowProbeController.prototype, 'slow'),
);
Reflect.defineMetadata(IS_PUBLIC, true, SlowProbeController);
Controller('probe')(SlowProbeController);

class SlowProbeModule {}
Module({ controllers: [SlowProbeController] })(SlowProbeModule);

runOrExit(() => startServer({ imports: [SlowProbeModule] }));
