// Browser mode end to end with live data: the real OpenTelemetry JS SDK exports over OTLP/HTTP
// (JSON and protobuf exporters) and OTLP/gRPC to the receiver of a real `clnrm studio`; the spans show up in the
// open traces list without a reload; then a user opens the trace, collapses and expands it, finds a
// span and reads its details (ids compared with what the SDK itself recorded).
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { expect, test } from '@playwright/test';
import { SHOTS, nav, openStudio, selectedSpanRow, traceRows, tracesGrid, waterfall } from './fixtures/page';
import { startStudio, type Studio } from './fixtures/studio';

let studio: Studio;

test.beforeAll(async () => {
  studio = await startStudio();
});
test.afterAll(async () => {
  await studio?.stop();
});

interface SentTrace {
  traceId: string;
  ids: Record<string, string>;
}

/**
 * One checkout request across two services, each with its own SDK provider and exporter (as two
 * processes would have): shop (JSON exporter) calls payments (protobuf exporter).
 */
async function sendCheckout(receiverPort: number, orderId: string): Promise<SentTrace> {
  const url = `http://127.0.0.1:${receiverPort}/v1/traces`;
  const shop = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'e2e-shop' }),
    spanProcessors: [new SimpleSpanProcessor(new JsonExporter({ url }))],
  });
  const payments = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'e2e-payments' }),
    spanProcessors: [new SimpleSpanProcessor(new ProtoExporter({ url }))],
  });
  const shopTracer = shop.getTracer('e2e-shop', '1.0.0');
  const payTracer = payments.getTracer('e2e-payments', '1.0.0');
  const ids: Record<string, string> = {};
  const under = (span: ReturnType<typeof shopTracer.startSpan>) => trace.setSpan(context.active(), span);

  const root = shopTracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, attributes: { 'http.route': '/checkout', 'order.id': orderId } });
  ids['POST /checkout'] = root.spanContext().spanId;
  const reserve = shopTracer.startSpan('reserve stock', { kind: SpanKind.INTERNAL }, under(root));
  ids['reserve stock'] = reserve.spanContext().spanId;
  const query = shopTracer.startSpan('db.query', { kind: SpanKind.CLIENT, attributes: { 'db.statement': `UPDATE stock SET n = n - 1 WHERE order = '${orderId}'` } }, under(reserve));
  ids['db.query'] = query.spanContext().spanId;
  query.end();
  reserve.end();
  const call = shopTracer.startSpan('POST payments/charge', { kind: SpanKind.CLIENT }, under(root));
  ids['POST payments/charge'] = call.spanContext().spanId;
  const charge = payTracer.startSpan('charge card', { kind: SpanKind.SERVER, attributes: { 'payment.amount': 4200 } }, under(call));
  ids['charge card'] = charge.spanContext().spanId;
  charge.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  charge.end();
  call.end();
  root.end();
  await Promise.all([shop.forceFlush(), payments.forceFlush()]);
  await Promise.all([shop.shutdown(), payments.shutdown()]);
  return { traceId: root.spanContext().traceId, ids };
}

/** A late span of an existing trace (e.g. an async job finishing after the request), from another process, over OTLP/gRPC. */
async function sendLateSpan(grpcPort: number, sent: SentTrace): Promise<string> {
  const mailer = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'e2e-mailer' }),
    spanProcessors: [new SimpleSpanProcessor(new GrpcExporter({ url: `http://127.0.0.1:${grpcPort}` }))],
  });
  const parent = trace.setSpanContext(context.active(), { traceId: sent.traceId, spanId: sent.ids['POST /checkout']!, traceFlags: 1, isRemote: true });
  const span = mailer.getTracer('e2e-mailer').startSpan('send receipt', { kind: SpanKind.CONSUMER }, parent);
  span.end();
  await mailer.forceFlush();
  await mailer.shutdown();
  return span.spanContext().spanId;
}

test('spans from the OpenTelemetry SDK appear live; open, collapse, find and inspect a trace', async ({ page }) => {
  const errors = await openStudio(page, studio);
  await expect(page.getByRole('status').filter({ hasText: 'No traces match' })).toBeVisible();

  // Live: the page is open and is not reloaded; the receiver's spans reach the list by push.
  const first = await sendCheckout(studio.receiverHttpPort, 'order-1');
  await expect(traceRows(page)).toHaveCount(1);
  const row = traceRows(page).first();
  await expect(row).toContainText('e2e-shop');
  await expect(row).toContainText('POST /checkout');
  await expect(row.getByRole('gridcell').nth(3)).toHaveText('5');
  await expect(row).toContainText('1 error');
  const second = await sendCheckout(studio.receiverHttpPort, 'order-2');
  expect(second.traceId).not.toBe(first.traceId);
  await expect(traceRows(page)).toHaveCount(2);
  await expect(page.getByRole('region', { name: 'Traces' }).getByText('2 matching')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/studio-traces.png` });

  // Newest first (the default) puts the second checkout on top; open it.
  await traceRows(page).first().click();
  await expect(waterfall(page)).toBeVisible();
  await expect(page.getByTitle('Trace id', { exact: true })).toHaveText(second.traceId);
  await expect(page.getByTestId('span-count')).toHaveText('5');
  await expect(waterfall(page)).toHaveAttribute('aria-rowcount', '5');
  await page.screenshot({ path: `${SHOTS}/studio-trace-waterfall.png` });

  // Collapse and expand the root with its chevron, then everything with the toolbar.
  const rootRow = waterfall(page).locator('[role="row"][aria-rowindex="1"]');
  await expect(rootRow).toContainText('POST /checkout');
  await rootRow.getByRole('button', { name: 'Collapse' }).click();
  await expect(rootRow).toHaveAttribute('aria-expanded', 'false');
  await expect(waterfall(page)).toHaveAttribute('aria-rowcount', '1');
  await rootRow.getByRole('button', { name: 'Expand' }).click();
  await expect(waterfall(page)).toHaveAttribute('aria-rowcount', '5');
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(waterfall(page)).toHaveAttribute('aria-rowcount', '1');

  // Find in trace reveals the collapsed db.query span and selects it.
  await page.keyboard.press('Control+f');
  const find = page.getByRole('textbox', { name: 'Find in trace' });
  await expect(find).toBeFocused();
  await find.fill('db.query');
  await expect(page.getByTestId('find-count')).toHaveText('– / 1');
  await find.press('Enter');
  await expect(page.getByTestId('find-count')).toHaveText('1 / 1');
  await expect(selectedSpanRow(page)).toContainText('db.query');
  await expect(selectedSpanRow(page)).toHaveAttribute('aria-level', '3');

  // The details are the SDK's span: same id, its attribute, its parent chain's service.
  const detail = page.getByRole('complementary', { name: 'Span details' });
  await expect(detail.getByTestId('detail-span-id')).toHaveText(second.ids['db.query']!);
  await expect(detail.getByRole('heading', { name: 'db.query' })).toBeVisible();
  await expect(detail).toContainText('e2e-shop');
  await expect(detail.getByRole('rowheader', { name: 'db.statement' })).toBeVisible();
  await expect(detail).toContainText("UPDATE stock SET n = n - 1 WHERE order = 'order-2'");

  // A search by attribute finds the failed payment span in the other service.
  await find.fill('payment.amount=4200');
  await expect(page.getByTestId('find-count')).toHaveText('– / 1');
  await find.press('Enter');
  await expect(detail.getByTestId('detail-span-id')).toHaveText(second.ids['charge card']!);
  await expect(detail).toContainText('e2e-payments');
  await expect(detail).toContainText('card declined');
  await expect(selectedSpanRow(page).getByLabel('error')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/studio-span-detail.png` });

  await find.fill('no-such-span-anywhere');
  await expect(page.getByTestId('find-count')).toHaveText('No matches');

  // A span of the open trace arrives later: the view says so and reloads on request.
  const lateId = await sendLateSpan(studio.receiverGrpcPort, second);
  const notice = page.getByRole('status').filter({ hasText: 'This trace now has' });
  await expect(notice).toContainText('This trace now has 6 spans (1 new)');
  await expect(page.getByTestId('span-count')).toHaveText('5');
  await notice.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByTestId('span-count')).toHaveText('6');
  await expect(notice).toBeHidden();
  await find.fill(lateId);
  await find.press('Enter');
  await expect(selectedSpanRow(page)).toContainText('send receipt');
  await expect(selectedSpanRow(page)).toHaveAttribute('aria-level', '2');

  // Back to the list: both traces are still there, the second with its late span and new service.
  await nav(page, 'Traces').click();
  await expect(tracesGrid(page)).toBeVisible();
  await expect(traceRows(page)).toHaveCount(2);
  await expect(traceRows(page).first().getByRole('gridcell').nth(3)).toHaveText('6');
  await expect(traceRows(page).first()).toContainText('e2e-mailer');
  expect(errors).toEqual([]);
});
