// The pair tally counts exactly what a map of counts would, in key order, whatever the folds.
import { describe, expect, it } from 'vitest'
import { MAX_ITEM, PairTally } from '../../electron/services/suggest/pair-tally.ts'
import { prng } from '../support/random.ts'

function counted(increments: Array<[number, number]>): Array<[number, number, number]> {
  const counts = new Map<string, [number, number, number]>()
  for (const [a, b] of increments) {
    const row = counts.get(`${a},${b}`)
    if (row) row[2]++
    else counts.set(`${a},${b}`, [a, b, 1])
  }
  return [...counts.values()].sort((x, y) => x[0] - y[0] || x[1] - y[1])
}

describe('PairTally', () => {
  it('counts random increments as a map does, across many folds', () => {
    const random = prng(2026)
    // Capacities below what is counted make the tally grow; buffers of 7 fold often.
    for (const [capacity, bufferSize, items, n] of [
      [4, 7, 5, 200],
      [10, 64, 40, 5_000],
      [100_000, 1_000, 3_000, 50_000],
    ] as const) {
      const tally = new PairTally(capacity, bufferSize)
      const increments: Array<[number, number]> = []
      for (let i = 0; i < n; i++) {
        const pair: [number, number] = [1 + Math.floor(random() * items), 1 + Math.floor(random() * items)]
        increments.push(pair)
        tally.add(...pair)
      }
      expect(tally.held).toBeGreaterThan(0)
      expect([...tally.drain()]).toEqual(counted(increments))
      expect(tally.held).toBe(0)
      expect([...tally.drain()]).toEqual([])
      // Emptied, it counts again from nothing.
      tally.add(1, 2)
      tally.add(1, 2)
      expect([...tally.drain()]).toEqual([[1, 2, 2]])
    }
  })

  it('gives pairs without direction both ways, in order, whatever the folds', () => {
    const random = prng(7)
    for (const [capacity, bufferSize, items, n] of [
      [3, 5, 6, 300],
      [1_000, 128, 200, 20_000],
    ] as const) {
      const tally = new PairTally(capacity, bufferSize)
      const increments: Array<[number, number]> = []
      for (let i = 0; i < n; i++) {
        const a = 1 + Math.floor(random() * items)
        const b = 1 + ((a + Math.floor(random() * (items - 1))) % items)
        tally.add(Math.min(a, b), Math.max(a, b))
        increments.push([a, b], [b, a])
      }
      expect([...tally.drainBothWays()]).toEqual(counted(increments))
      expect(tally.held).toBe(0)
    }
    const top = MAX_ITEM - 1
    const tally = new PairTally(2, 4)
    tally.add(1, top)
    tally.add(1, top)
    expect([...tally.drainBothWays()]).toEqual([
      [1, top, 2],
      [top, 1, 2],
    ])
    tally.add(2, 2)
    expect(() => [...tally.drainBothWays()]).toThrow(RangeError)
  })

  it('keeps the largest item numbers exact', () => {
    const tally = new PairTally(2, 4)
    const top = MAX_ITEM - 1
    for (const [a, b] of [[top, top], [1, top], [top, 1], [top, top], [2, 3]]) tally.add(a!, b!)
    expect([...tally.drain()]).toEqual([
      [1, top, 1],
      [2, 3, 1],
      [top, 1, 1],
      [top, top, 2],
    ])
  })

  it('refuses item numbers it cannot pack', () => {
    const tally = new PairTally()
    for (const [a, b] of [[0, 1], [1, MAX_ITEM], [-1, 2], [1.5, 2], [NaN, 1]]) expect(() => tally.add(a!, b!)).toThrow(RangeError)
  })
})
