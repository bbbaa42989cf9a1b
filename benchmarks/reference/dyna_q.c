/* Dyna-Q on the Dyna maze (Sutton & Barto 2018, Figure 8.2), written as tight C for comparison.
 *
 * Same algorithm as Mull's DynaQ with its default last-outcome model: epsilon-greedy
 * Q-learning with random tie-breaking among maximal actions; after every real step, n planning
 * updates, each from a uniformly drawn previously observed state and a uniformly drawn action
 * already taken there, with the deterministic last outcome recorded for that pair.
 * Random numbers: xoshiro256** (Blackman & Vigna 2018) seeded through SplitMix64, integers in
 * [0, n) by Lemire's multiply-shift method, as in Mull.
 *
 * usage: dyna_q RUNS EPISODES N        prints: real_steps planning_updates cpu_seconds
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROWS 6
#define COLS 9
#define STATES (ROWS * COLS)
#define ACTIONS 4

static const char *MAZE[ROWS] = {
    ".......#G",
    "..#....#.",
    "S.#....#.",
    "..#......",
    ".....#...",
    ".........",
};

typedef struct { uint64_t s[4]; } rng_t;

static uint64_t splitmix(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static void rng_seed(rng_t *r, uint64_t seed) {
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) r->s[i] = splitmix(&x);
}
static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static inline uint64_t next(rng_t *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45);
    return result;
}
static inline double uniform(rng_t *r) { return (double)(next(r) >> 11) * 0x1.0p-53; }
static inline int below(rng_t *r, int n) {
    uint64_t bound = (uint64_t)n;
    __uint128_t m = (__uint128_t)next(r) * bound;
    if ((uint64_t)m < bound) {
        uint64_t threshold = (0 - bound) % bound;
        while ((uint64_t)m < threshold) m = (__uint128_t)next(r) * bound;
    }
    return (int)(m >> 64);
}

static int step_to[STATES * ACTIONS]; /* up, down, right, left */
static int start_state, goal_state;

static void build_maze(void) {
    static const int dr[4] = {-1, 1, 0, 0}, dc[4] = {0, 0, 1, -1};
    for (int r = 0; r < ROWS; r++)
        for (int c = 0; c < COLS; c++) {
            if (MAZE[r][c] == 'S') start_state = r * COLS + c;
            if (MAZE[r][c] == 'G') goal_state = r * COLS + c;
            for (int a = 0; a < ACTIONS; a++) {
                int nr = r + dr[a], nc = c + dc[a];
                int ok = nr >= 0 && nr < ROWS && nc >= 0 && nc < COLS && MAZE[nr][nc] != '#';
                step_to[(r * COLS + c) * ACTIONS + a] = ok ? nr * COLS + nc : r * COLS + c;
            }
        }
}

static inline int greedy(const double *q, int s, rng_t *r) {
    const double *row = q + s * ACTIONS;
    double best = row[0];
    int ties = 1, first = 0;
    for (int a = 1; a < ACTIONS; a++) {
        if (row[a] > best) { best = row[a]; ties = 1; first = a; }
        else if (row[a] == best) ties++;
    }
    if (ties == 1) return first;
    int k = below(r, ties);
    for (int a = first; a < ACTIONS; a++)
        if (row[a] == best) { if (k == 0) return a; k--; }
    return first;
}
static inline double maxq(const double *q, int s) {
    const double *row = q + s * ACTIONS;
    double best = row[0];
    for (int a = 1; a < ACTIONS; a++) if (row[a] > best) best = row[a];
    return best;
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 300, episodes = argc > 2 ? atoi(argv[2]) : 50, n = argc > 3 ? atoi(argv[3]) : 50;
    const double alpha = 0.1, gamma = 0.95, epsilon = 0.1;
    build_maze();
    double q[STATES * ACTIONS];
    int m_next[STATES * ACTIONS], m_known[STATES * ACTIONS];
    double m_reward[STATES * ACTIONS];
    int observed[STATES], observed_count, seen[STATES * ACTIONS], seen_count[STATES];
    long long real_steps = 0, planning = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (int run = 0; run < runs; run++) {
        rng_t r;
        rng_seed(&r, (uint64_t)run * 0x9E3779B97F4A7C15ull + 12345);
        memset(q, 0, sizeof q);
        memset(m_known, 0, sizeof m_known);
        memset(seen_count, 0, sizeof seen_count);
        observed_count = 0;
        for (int ep = 0; ep < episodes; ep++) {
            int s = start_state;
            for (;;) {
                int a = uniform(&r) < epsilon ? below(&r, ACTIONS) : greedy(q, s, &r);
                int s2 = step_to[s * ACTIONS + a];
                int done = s2 == goal_state;
                double reward = done ? 1.0 : 0.0;
                int sa = s * ACTIONS + a;
                double target = reward + (done ? 0.0 : gamma * maxq(q, s2));
                q[sa] += alpha * (target - q[sa]);
                if (!m_known[sa]) {
                    if (seen_count[s] == 0) observed[observed_count++] = s;
                    seen[s * ACTIONS + seen_count[s]++] = a;
                    m_known[sa] = 1;
                }
                m_next[sa] = done ? -1 : s2; /* -1 marks a terminal outcome */
                m_reward[sa] = reward;
                real_steps++;
                for (int i = 0; i < n; i++) {
                    int ps = observed[below(&r, observed_count)];
                    int pa = seen[ps * ACTIONS + below(&r, seen_count[ps])];
                    int psa = ps * ACTIONS + pa, pn = m_next[psa];
                    double pt = m_reward[psa] + (pn < 0 ? 0.0 : gamma * maxq(q, pn));
                    q[psa] += alpha * (pt - q[psa]);
                }
                planning += n;
                if (done) break;
                s = s2;
            }
        }
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    printf("%lld %lld %.6f\n", real_steps, planning, secs);
    return 0;
}
