import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiProblems,
  JSON_BODY_PROBLEMS,
  REQUEST_LINE_PROBLEMS,
  UNAVAILABLE_PROBLEM,
} from '../../common/decorators/api-problems.decorator';
import { ApiUuidParam } from '../../common/decorators/api-uuid-param.decorator';
import { RequestOrigin } from '../audit';
import { Auth, CurrentUser, Origin, Principal, Role } from '../auth';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { DeliveriesQuery } from './dto/deliveries.query';
import { UpdateWebhookDto } from './dto/update-webhook.dto';
import {
  CreatedWebhookResponse,
  DeliveryListResponse,
  DeliveryResponse,
  WebhookListResponse,
  WebhookResponse,
} from './dto/webhook.response';
import { WebhooksService } from './webhooks.service';

const NO_SUCH_WEBHOOK = { 404: 'No such webhook (or not the caller’s)' };
const DEFAULT_DELIVERIES = 50;

@ApiTags('webhooks')
// viewers may not own a webhook, so none of these routes has anything for them
@Auth(Role.Admin, Role.Member)
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe a URL to events of your tasks, schedules and services (admins: anyone’s)',
  })
  @ApiProblems(JSON_BODY_PROBLEMS, {
    400: 'The body is not valid, or the URL resolves to a private address',
  })
  createWebhook(
    @CurrentUser() principal: Principal,
    @Body() body: CreateWebhookDto,
    @Origin() origin: RequestOrigin,
  ): Promise<CreatedWebhookResponse> {
    return this.webhooks.create(principal, body, origin);
  }

  @Get()
  @ApiOperation({ summary: 'Your webhooks (admins: every webhook)' })
  async listWebhooks(@CurrentUser() principal: Principal): Promise<WebhookListResponse> {
    return { items: await this.webhooks.list(principal) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a webhook' })
  @ApiUuidParam('The webhook’s id')
  @ApiProblems(REQUEST_LINE_PROBLEMS, NO_SUCH_WEBHOOK)
  getWebhook(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<WebhookResponse> {
    return this.webhooks.get(principal, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a webhook’s URL, events or statuses, or enable/disable it' })
  @ApiUuidParam('The webhook’s id')
  @ApiProblems(REQUEST_LINE_PROBLEMS, JSON_BODY_PROBLEMS, NO_SUCH_WEBHOOK)
  updateWebhook(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateWebhookDto,
    @Origin() origin: RequestOrigin,
  ): Promise<WebhookResponse> {
    return this.webhooks.update(principal, id, body, origin);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook and its delivery log' })
  @ApiUuidParam('The webhook’s id')
  @ApiProblems(REQUEST_LINE_PROBLEMS, NO_SUCH_WEBHOOK)
  async deleteWebhook(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    await this.webhooks.delete(principal, id, origin);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log: newest deliveries first, each with every try' })
  @ApiUuidParam('The webhook’s id')
  @ApiProblems(REQUEST_LINE_PROBLEMS, NO_SUCH_WEBHOOK)
  async listWebhookDeliveries(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: DeliveriesQuery,
  ): Promise<DeliveryListResponse> {
    const limit = query.limit ?? DEFAULT_DELIVERIES;
    return { items: await this.webhooks.deliveriesOf(principal, id, limit) };
  }

  @Post(':id/ping')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a `ping` event to test the receiver' })
  @ApiUuidParam('The webhook’s id')
  @ApiProblems(REQUEST_LINE_PROBLEMS, NO_SUCH_WEBHOOK)
  pingWebhook(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<DeliveryResponse> {
    return this.webhooks.ping(principal, id);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again, with the same delivery id and body' })
  @ApiUuidParam('The webhook’s id')
  @ApiUuidParam('The delivery’s id', 'deliveryId')
  @ApiProblems(REQUEST_LINE_PROBLEMS, { 404: 'No such webhook or delivery' })
  redeliverWebhookDelivery(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('deliveryId', new ParseUUIDPipe()) deliveryId: string,
  ): Promise<DeliveryResponse> {
    return this.webhooks.redeliver(principal, id, deliveryId);
  }
}
