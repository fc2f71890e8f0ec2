// Nexthop objects on this host's kernel (see helpers/nexthop-suite.ts; the VM suite reruns them).
import { describe } from 'node:test';
import { nexthopTests } from './helpers/nexthop-suite.js';

describe('nexthop objects', () => nexthopTests());
