// A test-only resource owned by users, to exercise the ownership policy and API-token
// scopes before the tasks module exists. Mounted through startTestApp({ imports }).
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Module,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../src/common/errors/domain-error';
import { AuthModule } from '../../src/modules/auth/auth.module';
import { Auth } from '../../src/modules/auth/decorators/auth.decorator';
import { CurrentUser } from '../../src/modules/auth/decorators/current-user.decorator';
import { RequireScopes } from '../../src/modules/auth/decorators/require-scopes.decorator';
import { OwnershipPolicy } from '../../src/modules/auth/ownership.policy';
import { Principal } from '../../src/modules/auth/principal';

export class NoteDto {
  @IsString()
  @Length(1, 200)
  text: string;
}

interface Note {
  id: string;
  ownerId: string;
  text: string;
}

@Auth()
@Controller('test-notes')
class NotesController {
  private readonly notes = new Map<string, Note>();

  constructor(private readonly ownership: OwnershipPolicy) {}

  @Post()
  @RequireScopes('tasks:write')
  createTestNote(@CurrentUser() principal: Principal, @Body() body: NoteDto): Note {
    this.ownership.assertCanCreate(principal);
    const note = { id: randomUUID(), ownerId: principal.userId, text: body.text };
    this.notes.set(note.id, note);
    return note;
  }

  @Get()
  @RequireScopes('tasks:read')
  listTestNotes(@CurrentUser() principal: Principal): { items: Note[] } {
    const owner = this.ownership.listableOwner(principal);
    return { items: [...this.notes.values()].filter((note) => !owner || note.ownerId === owner) };
  }

  @Get(':id')
  @RequireScopes('tasks:read')
  getTestNote(@CurrentUser() principal: Principal, @Param('id') id: string): Note {
    const note = this.find(id);
    this.ownership.assertCanRead(principal, note.ownerId, `Note ${id}`);
    return note;
  }

  @Patch(':id')
  @RequireScopes('tasks:write')
  updateTestNote(
    @CurrentUser() principal: Principal,
    @Param('id') id: string,
    @Body() body: NoteDto,
  ): Note {
    const note = this.find(id);
    this.ownership.assertCanChange(principal, note.ownerId, `Note ${id}`);
    note.text = body.text;
    return note;
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('tasks:write')
  deleteTestNote(@CurrentUser() principal: Principal, @Param('id') id: string): void {
    const note = this.find(id);
    this.ownership.assertCanChange(principal, note.ownerId, `Note ${id}`);
    this.notes.delete(id);
  }

  private find(id: string): Note {
    const note = this.notes.get(id);
    if (!note) throw new NotFoundError(`Note ${id} not found.`);
    return note;
  }
}

@Module({ imports: [AuthModule], controllers: [NotesController] })
export class OwnedNotesModule {}
