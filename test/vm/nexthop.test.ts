// Nexthop objects on the VM's kernel, plus MPLS-encap nexthops (mpls_iptunnel).
import { describe } from 'node:test';
import { nexthopTests } from '../helpers/nexthop-suite.js';
import { vmOnly } from './vm.js';

describe('nexthop objects (VM)', vmOnly, () => nexthopTests({ mpls: true }));
