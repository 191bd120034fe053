import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { version } from '../../package.json';
import { allowNullReferences } from './nullable-references';

export const DOCS_PATH = 'docs';
export const SPEC_PATH = 'docs/openapi.json';

/** The spec, with operation ids equal to method names so generated clients read well. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Kiln API')
    .setDescription('Control plane for ML training tasks: submit, queue, run, follow and deploy.')
    .setVersion(version)
    .setLicense('UNLICENSED', 'https://kiln.dev/license')
    .addServer('/', 'This Kiln server')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT or kiln_ API token' },
      'bearer',
    )
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
  });
  return allowNullReferences(document);
}

export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: SPEC_PATH,
    yamlDocumentUrl: 'docs/openapi.yaml',
    useGlobalPrefix: false,
  });
}
