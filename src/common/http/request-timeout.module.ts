import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { RequestTimeoutInterceptor } from './request-timeout.interceptor';

/** Puts every HTTP route under the request time limit (see RequestTimeoutInterceptor). */
@Module({ providers: [{ provide: APP_INTERCEPTOR, useClass: RequestTimeoutInterceptor }] })
export class RequestTimeoutModule {}
