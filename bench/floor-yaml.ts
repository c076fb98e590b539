/** Floor with the `yaml` package's stringify, what cdk8s uses (see floor-lib.ts).  node floor-yaml.js N OUTDIR TEMPLATE_JSON */
import { stringify } from 'yaml';
import { floorMain } from './floor-lib';

floorMain('yaml', (o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }));
