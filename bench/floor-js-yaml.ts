/** Floor with js-yaml's dump (see floor-lib.ts).  node floor-js-yaml.js N OUTDIR TEMPLATE_JSON */
import { dump } from 'js-yaml';
import { floorMain } from './floor-lib';

floorMain('js-yaml', (o) => dump(o, { noRefs: true, lineWidth: -1 }));
