// Package money provides the decimal type used for every price, quantity and amount.
package money
