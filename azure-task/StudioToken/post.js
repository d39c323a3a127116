'use strict';
require('./run').run('azure-post', false);
