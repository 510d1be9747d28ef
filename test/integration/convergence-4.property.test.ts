import { convergenceShard } from './convergence-property';

// One of the convergence property's shards: see convergence-property.ts.
convergenceShard(4);
