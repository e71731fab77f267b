// The search index's worker thread (db/search-indexer.ts): it alone writes the index while a
// register runs, one transaction per message, and answers each message once it has committed.
// Only plain data crosses the thread boundary.
import { parentPort, workerData } from 'node:worker_threads'
import { applySearchWork, openSearchFile, searchWatermark, setSearchBulk } from './search-index.ts'
import type { IndexerReply, IndexerRequest } from './search-indexer.ts'

const port = parentPort!
const search = openSearchFile((workerData as { file: string }).file)

port.on('message', (request: IndexerRequest) => {
  if (request.type === 'close') {
    search.close()
    port.close()
    return
  }
  let reply: IndexerReply
  try {
    if (request.type === 'work') search.transaction(() => applySearchWork(search, request.work)).immediate()
    else search.transaction(() => setSearchBulk(search, request.on)).immediate()
    reply = { id: request.id, ok: true, seq: searchWatermark(search) }
  } catch (error) {
    reply = { id: request.id, ok: false, reason: (error as Error).message }
  }
  port.postMessage(reply)
})
