// The sweeps module's public surface.
export { SweepsModule } from './sweeps.module';
