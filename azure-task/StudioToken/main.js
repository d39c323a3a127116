'use strict';
require('./run').run('azure-main', true);
