// The services module's public surface: other modules import only what is exported here.
export { ServicesModule } from './services.module';
