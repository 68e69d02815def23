return undocumented == true
