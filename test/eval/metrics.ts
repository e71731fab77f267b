// HitRate@k and NDCG@k (binary relevance) of ranked lists against held-out items.

export type Scores = { hitRate: number; ndcg: number; visitors: number }

export function score(predictions: ReadonlyMap<string, readonly string[]>, truth: ReadonlyMap<string, ReadonlySet<string>>, k: number): Scores {
  let hits = 0
  let ndcg = 0
  for (const [visitor, wanted] of truth) {
    const ranked = (predictions.get(visitor) ?? []).slice(0, k)
    let dcg = 0
    ranked.forEach((item, i) => {
      if (wanted.has(item)) dcg += 1 / Math.log2(i + 2)
    })
    let ideal = 0
    for (let i = 0; i < Math.min(wanted.size, k); i++) ideal += 1 / Math.log2(i + 2)
    if (dcg > 0) hits++
    ndcg += dcg / ideal
  }
  return { hitRate: hits / truth.size, ndcg: ndcg / truth.size, visitors: truth.size }
}
