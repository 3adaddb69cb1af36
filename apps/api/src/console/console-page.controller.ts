import { Controller, Get, Headers, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ConsoleAsset, ConsoleAssets } from './console-assets';

/** The operator console's page and its script and style sheet, from memory. */
@ApiExcludeController()
@Controller('console')
export class ConsolePageController {
  constructor(private readonly assets: ConsoleAssets) {}

  @Get()
  page(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): void {
    send(reply, this.assets.get('index.html')!, ifNoneMatch);
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): void {
    const asset = file === 'index.html' ? undefined : this.assets.get(file);
    if (!asset) throw new NotFoundException(`no console asset ${file}`);
    send(reply, asset, ifNoneMatch);
  }
}

function send(reply: FastifyReply, asset: ConsoleAsset, ifNoneMatch: string | undefined): void {
  // no-cache: the browser revalidates with the ETag, so a new api image is picked up at once.
  void reply.header('cache-control', 'no-cache').header('etag', asset.etag);
  if (ifNoneMatch === asset.etag) {
    void reply.status(304).send();
    return;
  }
  void reply.header('content-type', asset.contentType).send(asset.body);
}
