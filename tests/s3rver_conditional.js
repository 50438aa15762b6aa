#!/usr/bin/env node
// s3rver as tests/s3rver.h starts it, honouring conditional writes as S3 does
// since 2024 (s3rver 3 ignores them): a PUT with `If-None-Match: *` fails with
// 412 when the object exists, one with `If-Match: <ETag>` when the object is
// missing or has another ETag. Conditional PUTs to one key are taken one at a
// time, so two racing writers cannot both pass the check.
//
// Usage: s3rver_conditional.js <tools dir> <data dir> <port> <bucket>
'use strict';

const path = require('path');
const [toolsDir, directory, port, bucket] = process.argv.slice(2);
const S3rver = require(path.join(toolsDir, 'node_modules', 's3rver'));

const app = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  configureBuckets: [{ name: bucket, configs: [] }],
});

const unquoted = etag => String(etag || '').replace(/"/g, '');
const turns = new Map();

app.middleware.unshift(async (ctx, next) => {
  const ifNoneMatch = ctx.get('if-none-match');
  const ifMatch = ctx.get('if-match');
  if (ctx.method !== 'PUT' || (!ifNoneMatch && !ifMatch)) return next();
  const [, bucketName, ...keyParts] = ctx.path.split('/').map(decodeURIComponent);
  const key = keyParts.join('/');
  const id = `${bucketName}/${key}`;
  const before = turns.get(id) || Promise.resolve();
  let done;
  const mine = new Promise(resolve => (done = resolve));
  turns.set(id, before.then(() => mine));
  await before;
  try {
    const exists = await app.store.existsObject(bucketName, key);
    let holds = true;
    if (ifNoneMatch === '*' && exists) holds = false;
    if (ifMatch) {
      holds = holds && exists &&
        unquoted((await app.store.getMetadata(bucketName, key)).etag) === unquoted(ifMatch);
    }
    if (!holds) {
      ctx.status = 412;
      ctx.type = 'application/xml';
      ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code>' +
        '<Message>At least one of the pre-conditions you specified did not hold</Message></Error>';
      return;
    }
    await next();
  } finally {
    done();
  }
});

app.run().then(({ address, port: listening }) => {
  console.log('S3rver listening on %s:%d', address, listening);
});
