// Bulk imports: the upload and report routes and the worker, which the app wires.
export { startImportWorker, workOnce, type ImportWorker } from './import.engine.js';
export { importReportHandler } from './import.report.js';
export { importUploadHandler } from './import.upload.js';
