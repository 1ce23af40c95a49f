# bash completion for dotpha.  The candidates come from dotpha itself
# (`dotpha __complete WORD...`, written from its command table), so this
# file never needs to change with the commands.  Nothing offered: bash's
# own file names (complete -o default), for FILE and PATH arguments.
_dotpha()
{
	local IFS=$'\n'
	COMPREPLY=($(command dotpha __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _dotpha dotpha
