// The system module's public surface.
export { SystemModule } from './system.module';
